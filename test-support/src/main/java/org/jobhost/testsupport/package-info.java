/**
 * What the whole-process tests share: the assembled tree under test ({@link
 * org.jobhost.testsupport.Tree}), its daemon run as an OS process ({@link
 * org.jobhost.testsupport.HostProcess}), its command line ({@link org.jobhost.testsupport.Cli}) and
 * real plugin jars compiled in a test ({@link org.jobhost.testsupport.PluginJar}).
 */
package org.jobhost.testsupport;
