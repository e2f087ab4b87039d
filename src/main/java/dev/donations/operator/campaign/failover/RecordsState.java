package dev.donations.operator.campaign.failover;

import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The host's two failover records as observed: what they say, and the record sets themselves, which
 * a DELETE must repeat exactly. A class: the operator SDK cannot index records.
 */
public final class RecordsState {
  private final Route53Settings.Records settings;
  private final List<ResourceRecordSet> recordSets;

  public RecordsState(Route53Settings.Records settings, List<ResourceRecordSet> recordSets) {
    this.settings = settings;
    this.recordSets = List.copyOf(recordSets);
  }

  public Route53Settings.Records settings() {
    return settings;
  }

  public List<ResourceRecordSet> recordSets() {
    return recordSets;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordsState s
        && Objects.equals(settings, s.settings)
        && Objects.equals(recordSets, s.recordSets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(settings, recordSets);
  }

  @Override
  public String toString() {
    return "RecordsState[" + settings + "]";
  }
}
