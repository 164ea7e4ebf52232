/** Whole-process tests of plugins loaded, replaced and removed while the daemon runs. */
package org.jobhost.dist.plugins;
