/**
 * POSIX signals: {@link org.jobhost.host.signal.SignalBridge} is the one class that touches {@code
 * sun.misc.Signal}; its handler only counts and enqueues. {@link org.jobhost.host.signal.EventLoop}
 * is the event thread that runs built-in actions, signal hooks and listener notifications one at a
 * time. {@link org.jobhost.host.signal.BuiltInSignal} is the one table of the signals with a
 * built-in action.
 */
package org.jobhost.host.signal;
