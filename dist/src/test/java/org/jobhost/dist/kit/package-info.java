/**
 * The plugin author's kit, tested as an author outside this repository uses it: a Maven run of its
 * own, offline, against a local repository holding only what the outer build fetched and built.
 */
package org.jobhost.dist.kit;
