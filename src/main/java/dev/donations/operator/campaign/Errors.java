package dev.donations.operator.campaign;

/** Error messages that are safe to show in status, Events and logs. */
public final class Errors {

  private Errors() {}

  /** Marks an error that AWS's throttling caused; the condition's reason then says AwsThrottled. */
  public static final String THROTTLED = "throttled by AWS: ";

  /**
   * The message for status: the root cause, marked when AWS throttled the call (after the SDK's
   * retries).
   */
  public static String forStatus(Throwable e) {
    return (throttled(e) ? THROTTLED : "") + describe(e);
  }

  /** Whether AWS throttling is anywhere in the cause chain. */
  public static boolean throttled(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof software.amazon.awssdk.awscore.exception.AwsServiceException a
          && a.isThrottlingException()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the API server refused a write because the object changed since it was read (409,
   * reason Conflict), anywhere in the cause chain. An AlreadyExists (also 409) is not one.
   */
  public static boolean conflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k
          && k.getCode() == 409
          && (k.getStatus() == null || "Conflict".equals(k.getStatus().getReason()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The root cause's message on one line. AWS and API errors never carry the generated credentials.
   */
  public static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replaceAll("\\s+", " ");
  }
}
