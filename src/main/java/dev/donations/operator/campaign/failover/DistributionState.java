package dev.donations.operator.campaign.failover;

import java.util.Objects;

/**
 * A campaign's failover distribution as observed: its id and name, CloudFront's deployment status
 * (InProgress or Deployed), whether it is enabled, and its settings. A class, not a record: the
 * operator SDK's build step cannot index java.lang.Record.
 */
public final class DistributionState {
  private final String id;
  private final String domainName;
  private final String status;
  private final boolean enabled;
  private final DistributionSettings settings;

  public DistributionState(
      String id, String domainName, String status, boolean enabled, DistributionSettings settings) {
    this.id = id;
    this.domainName = domainName;
    this.status = status;
    this.enabled = enabled;
    this.settings = settings;
  }

  /** What the operator wants: no id or status yet, enabled, with these settings. */
  public static DistributionState desired(DistributionSettings settings) {
    return new DistributionState(null, null, null, true, settings);
  }

  public String id() {
    return id;
  }

  public String domainName() {
    return domainName;
  }

  public String status() {
    return status;
  }

  public boolean enabled() {
    return enabled;
  }

  public DistributionSettings settings() {
    return settings;
  }

  public boolean deployed() {
    return "Deployed".equals(status);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistributionState s
        && enabled == s.enabled
        && Objects.equals(id, s.id)
        && Objects.equals(domainName, s.domainName)
        && Objects.equals(status, s.status)
        && Objects.equals(settings, s.settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, domainName, status, enabled, settings);
  }

  @Override
  public String toString() {
    return "DistributionState["
        + id
        + ", "
        + domainName
        + ", "
        + status
        + ", enabled="
        + enabled
        + ", "
        + settings
        + "]";
  }
}
