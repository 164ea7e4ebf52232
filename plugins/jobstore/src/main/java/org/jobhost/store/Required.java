package org.jobhost.store;

/**
 * The null checks of the store's records, whose message names the row a value is missing from
 * ({@code task nightly: notBefore is required}) as their other checks do. Stateless.
 */
final class Required {

  private Required() {}

  /**
   * Checks that {@code value} is there. The message is built only when it is not, so a record made
   * for every job costs no string.
   *
   * @param kind what the row is, {@code task} or {@code job}
   * @param name the task's name or the job's id
   * @param field the record component's name
   * @throws NullPointerException when {@code value} is {@code null}: {@code KIND NAME: FIELD is
   *     required}
   */
  static void present(String kind, String name, String field, Object value) {
    if (value == null) {
      throw new NullPointerException(kind + " " + name + ": " + field + " is required");
    }
  }
}
