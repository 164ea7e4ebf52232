package org.jobhost.cron.worklog;

import org.jobhost.store.Store;

/**
 * A {@link Store} that hands every call to another store; a subclass overrides only the calls it
 * changes (a shared handle its {@link #close}, a test's failing store its {@link #transaction}).
 * Thread-safe as the store it forwards to.
 */
abstract class ForwardingStore implements Store {

  private final Store delegate;

  /** Forwards to {@code delegate}. */
  ForwardingStore(Store delegate) {
    this.delegate = delegate;
  }

  /** The store the calls go to. */
  final Store delegate() {
    return delegate;
  }

  @Override
  public <T> T transaction(Work<T> work) {
    return delegate.transaction(work);
  }

  @Override
  public long changeCount() {
    return delegate.changeCount();
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
