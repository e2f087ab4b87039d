package dev.donations.operator.campaign;

/**
 * A dependent's failure that retrying does not fix (a snapshot that does not exist, say): its
 * condition gets the reason, one of NeedsChange.REASONS, and the campaign the phase Failed. The
 * reconcile still retries it, so the campaign goes on once the cause is gone.
 */
public class NeedsChangeException extends IllegalStateException {

  private final String reason;

  public NeedsChangeException(String reason, String message) {
    this(reason, message, null);
  }

  public NeedsChangeException(String reason, String message, Throwable cause) {
    super(message, cause);
    if (!NeedsChange.reason(reason)) {
      throw new IllegalArgumentException(reason + " is not in NeedsChange.REASONS");
    }
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
