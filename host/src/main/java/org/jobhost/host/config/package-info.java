/**
 * The daemon's configuration: one immutable {@link org.jobhost.host.config.Config}, built by {@link
 * org.jobhost.host.config.ConfigLoader} from defaults, the TOML file, the environment and the
 * command line, validated in one place that reports every problem together. The only package that
 * reads system properties and the environment. Inside, package-private: {@code Layers} (the file,
 * the environment and {@code --set}, with the place of each value), {@code SettingReader} (typed,
 * range-checked readers every section uses), {@code Problems} and {@code ConfigReader} (the
 * sections). {@link org.jobhost.host.config.Backoff} is the host's one exponential backoff.
 */
package org.jobhost.host.config;
