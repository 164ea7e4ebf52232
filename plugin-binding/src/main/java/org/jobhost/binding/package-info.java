/**
 * What the host does that the plugin test kit must do alike: how jobhost binds the extensions of
 * loaded plugins ({@link org.jobhost.binding.BindingRules}, the one copy of the rules that the
 * daemon, {@code jobhost check}, {@code jobhost plugins}, the command line and the test kit's
 * harness apply), how it finds and creates them, and how it waits for a job's child to lead its
 * process group ({@link org.jobhost.binding.GroupLeader}).
 */
package org.jobhost.binding;
