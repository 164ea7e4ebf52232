/**
 * The jobhost plugin API: everything a plugin compiles against.
 *
 * <p>A plugin contributes extensions of four kinds:
 *
 * <ul>
 *   <li>{@link org.jobhost.api.JobSource} — where the next job comes from;
 *   <li>{@link org.jobhost.api.JobRunner} — how a job of a given type runs;
 *   <li>{@link org.jobhost.api.SignalHook} — what happens on a POSIX signal;
 *   <li>{@link org.jobhost.api.HostListener} — what happens on lifecycle and job events;
 * </ul>
 *
 * and, for operators, {@link org.jobhost.api.CliCommand} subcommands of {@code jobhost}. An
 * extension may also hand the host tables with actions for dashboards ({@link
 * org.jobhost.api.AdminView}, through {@link org.jobhost.api.PluginContext#publishView}) and its
 * own metrics ({@link org.jobhost.api.PluginContext#publishMetrics}).
 *
 * <p>A plugin is a jar with {@code Plugin-Id} and {@code Plugin-Version} in its manifest (or a
 * {@code plugin.properties}) and one {@code META-INF/services/org.jobhost.api.<ExtensionPoint>}
 * file per extension point it implements. The jar takes this API, pf4j and slf4j-api as {@code
 * provided} dependencies: bundling any of them breaks class identity with the host.
 *
 * <p>Every extension has a public no-argument constructor. The host creates one instance per
 * extension class, calls {@link org.jobhost.api.Managed#init} once before any other method, and
 * {@link org.jobhost.api.Managed#close} once at stop. Every call into an extension is a fault
 * boundary: an exception is logged with the plugin id and the host carries on.
 */
package org.jobhost.api;
