package dev.donations.operator.campaign;

/**
 * A part's failure as its condition shows it: the reason (NeedsChange's when retrying cannot fix
 * it, AwsThrottled, else ProvisioningError) and a message safe for status.
 */
public record PartError(String reason, String message) {

  static final String PROVISIONING_ERROR = "ProvisioningError";
  static final String AWS_THROTTLED = "AwsThrottled";

  /** A failure of a dependent. */
  public static PartError of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof NeedsChangeException n) {
        // Its own message, not the root cause's: it says what to change.
        return new PartError(n.reason(), n.getMessage().replaceAll("\\s+", " "));
      }
    }
    return of(Errors.forStatus(e));
  }

  /** A failure known only by its message (a poller's last failed describe). */
  public static PartError of(String message) {
    return new PartError(
        message.contains(Errors.THROTTLED) ? AWS_THROTTLED : PROVISIONING_ERROR, message);
  }

  /**
   * Two failures under one condition: both messages; the reason of the one that needs a change,
   * else AwsThrottled if either was throttled.
   */
  public PartError and(PartError other) {
    String joined = message + "; " + other.message;
    if (NeedsChange.reason(reason)) {
      return new PartError(reason, joined);
    }
    if (NeedsChange.reason(other.reason)) {
      return new PartError(other.reason, joined);
    }
    return new PartError(
        AWS_THROTTLED.equals(reason) || AWS_THROTTLED.equals(other.reason)
            ? AWS_THROTTLED
            : PROVISIONING_ERROR,
        joined);
  }
}
