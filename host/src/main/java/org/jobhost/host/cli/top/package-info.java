/**
 * {@code jobhost top}: snapshots of the daemon read over the control socket ({@link
 * org.jobhost.host.cli.top.Snapshot}), drawn as one screen ({@link
 * org.jobhost.host.cli.top.Screen}) on a terminal in raw mode, refreshed until {@code q}; one
 * snapshot when stdout is no terminal.
 */
package org.jobhost.host.cli.top;
