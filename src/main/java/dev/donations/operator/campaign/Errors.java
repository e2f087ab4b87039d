package dev.donations.operator.campaign;

/** Error messages that are safe to show in status, Events and logs. */
public final class Errors {

  private Errors() {}

  /** The root cause's message on one line. AWS and API errors never carry the generated credentials. */
  public static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replaceAll("\\s+", " ");
  }
}
