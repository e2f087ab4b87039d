package dev.donations.operator.campaign.failover;

import java.util.Objects;

/**
 * The campaign's Route 53 health check as observed. A class: the operator SDK cannot index records.
 */
public final class HealthCheckState {
  private final String id;
  private final String callerReference;
  private final Route53Settings.HealthCheck settings;

  public HealthCheckState(String id, String callerReference, Route53Settings.HealthCheck settings) {
    this.id = id;
    this.callerReference = callerReference;
    this.settings = settings;
  }

  public String id() {
    return id;
  }

  public String callerReference() {
    return callerReference;
  }

  public Route53Settings.HealthCheck settings() {
    return settings;
  }

  /** The n of its CallerReference (CampaignNames.healthCheckReference). */
  int generation() {
    int dash = callerReference.lastIndexOf('-');
    try {
      return Integer.parseInt(callerReference.substring(dash + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      return 0;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HealthCheckState s
        && Objects.equals(id, s.id)
        && Objects.equals(callerReference, s.callerReference)
        && Objects.equals(settings, s.settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, callerReference, settings);
  }

  @Override
  public String toString() {
    return "HealthCheckState[" + id + ", " + callerReference + ", " + settings + "]";
  }
}
