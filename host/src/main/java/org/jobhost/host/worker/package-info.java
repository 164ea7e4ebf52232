/**
 * Worker JVMs: jobs of types configured {@code isolation = "process"} run in a pool of pre-started
 * JVMs that load the same plugins. {@link org.jobhost.host.worker.WorkerPool} is the host's side;
 * {@link org.jobhost.host.worker.WorkerMain} the worker's {@code main}; a small framed protocol
 * over the worker's stdin and stdout connects them.
 */
package org.jobhost.host.worker;
