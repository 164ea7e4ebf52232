package org.jobhost.store;

/**
 * The null checks of the store's records, whose message names the row a value is missing from
 * ({@code task nightly: notBefore is required}) as their other checks do. Stateless.
 */
final class Required {

  private Required() {}

  /**
   * Checks that {@code value} is there.
   *
   * @param row what the value belongs to, such as {@code task nightly} or {@code job j-1}
   * @param field the record component's name
   * @throws NullPointerException when {@code value} is {@code null}, naming {@code row} and {@code
   *     field}
   */
  static void present(String row, String field, Object value) {
    if (value == null) {
      throw new NullPointerException(row + ": " + field + " is required");
    }
  }
}
