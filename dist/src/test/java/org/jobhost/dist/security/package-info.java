/**
 * Attacks by the service user on a root-started jobhost, each run against the assembled tree; a
 * test passes because its attack fails.
 */
package org.jobhost.dist.security;
