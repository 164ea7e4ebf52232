/**
 * The daemon's configuration: one immutable {@link org.jobhost.host.config.Config}, built by {@link
 * org.jobhost.host.config.ConfigLoader} from defaults, the TOML file, the environment and the
 * command line, validated in one place that reports every problem together. The only package that
 * reads system properties and the environment.
 */
package org.jobhost.host.config;
