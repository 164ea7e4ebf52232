/**
 * How jobhost binds the extensions of loaded plugins: {@link org.jobhost.binding.BindingRules}, the
 * one copy of the rules that the host (daemon, {@code jobhost check}, {@code jobhost plugins}, the
 * command line) and the plugin test kit's harness apply alike.
 */
package org.jobhost.binding;
