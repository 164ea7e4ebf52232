/**
 * Testing jobhost plugins without a daemon.
 *
 * <p>{@link org.jobhost.testkit.PluginHarness} loads a plugin (a built jar, or the classes on the
 * test's class path) the way the host does, reports what the host would refuse, and drives it:
 * polls its sources, runs jobs through its runners, sends signals to its hooks, reloads its
 * settings. The fakes it is built on are usable alone: {@link org.jobhost.testkit.FakeHost}, {@link
 * org.jobhost.testkit.TestPluginContext}, {@link org.jobhost.testkit.TestJobContext}, {@link
 * org.jobhost.testkit.ManualClock} and {@link org.jobhost.testkit.TomlSettings}.
 */
package org.jobhost.testkit;
