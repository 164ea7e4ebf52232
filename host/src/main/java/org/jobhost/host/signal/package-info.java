/**
 * POSIX signals: {@link org.jobhost.host.signal.SignalBridge} is the one class that touches {@code
 * sun.misc.Signal}; its handler only counts and enqueues. {@link org.jobhost.host.signal.EventLoop}
 * is the event thread that runs built-in actions, signal hooks and listener notifications one at a
 * time.
 */
package org.jobhost.host.signal;
