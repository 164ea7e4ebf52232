package org.jobhost.host.config;

/**
 * One setting's value and where it came from. Immutable.
 *
 * @param key the setting's name as the operator writes it ({@code retry.jitter})
 * @param value the TOML value (String, Long, Double, Boolean, TomlArray, TomlTable), or for a raw
 *     setting the unparsed string
 * @param where the place, for messages ({@code /etc/jobhost/jobhost.toml line 4}, {@code
 *     environment variable JOBHOST_MAX_WORKERS})
 * @param raw whether the value is an unparsed string from the environment or the command line
 */
record Setting(String key, Object value, String where, boolean raw) {}
