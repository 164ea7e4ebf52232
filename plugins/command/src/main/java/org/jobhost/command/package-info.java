/**
 * The {@code command} plugin: a {@link org.jobhost.api.JobRunner} for jobs of type {@code command},
 * which run one program ({@code argv}) or one {@code /bin/sh -c} command line ({@code shell}) as a
 * child process of the host, log its output line by line to the {@code job.output} logger and end
 * with the process's exit status.
 *
 * <p>{@link org.jobhost.command.CommandRunner} is the only public type; the rest (parameter
 * parsing, the argv tokenizer, the output reader, the settings) is package-private.
 */
package org.jobhost.command;
