package org.jobhost.store;

/**
 * The database could not be opened, migrated, read or written. The message names the database file
 * and the statement's purpose. Unchecked: callers are fault boundaries that log and carry on.
 */
public class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, on which database, and what to do
   * @param cause the driver's exception
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * @param message what failed, on which database, and what to do
   */
  public StoreException(String message) {
    super(message);
  }
}
