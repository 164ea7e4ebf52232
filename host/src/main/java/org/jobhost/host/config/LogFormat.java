package org.jobhost.host.config;

/**
 * How the daemon writes its log lines ({@code log_format}): plain text as {@code conf/logback.xml}
 * lays it out, or one JSON object per line from logback's {@code JsonEncoder} in every file and on
 * the console.
 */
public enum LogFormat {
  TEXT,
  JSON
}
