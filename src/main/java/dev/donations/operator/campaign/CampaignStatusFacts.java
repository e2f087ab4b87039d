package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import java.util.Optional;

/**
 * Facts that the reconciler records in status so that pollers and deletion work without the class:
 * the region, and the deletion policies in force. Until they are recorded, deletion takes the safe
 * choice.
 */
public final class CampaignStatusFacts {

  private CampaignStatusFacts() {}

  public static Optional<String> region(CharityCampaign c) {
    return Optional.ofNullable(c.getStatus()).map(s -> s.region);
  }

  /** Snapshot unless a policy was recorded: deleting data needs an explicit, recorded choice. */
  public static DatabaseDeletionPolicy databaseDeletion(CharityCampaign c) {
    return Optional.ofNullable(c.getStatus())
        .map(s -> s.deletion)
        .map(d -> d.database)
        .orElse(DatabaseDeletionPolicy.Snapshot);
  }

  /** Retain unless a policy was recorded. */
  public static StorageDeletionPolicy storageDeletion(CharityCampaign c) {
    return Optional.ofNullable(c.getStatus())
        .map(s -> s.deletion)
        .map(d -> d.storage)
        .orElse(StorageDeletionPolicy.Retain);
  }

  /** Whether the operator ever observed the campaign's database. */
  public static boolean databaseSeen(CharityCampaign c) {
    return Optional.ofNullable(c.getStatus()).map(s -> s.database).map(d -> d.state).isPresent();
  }

  /** namespace/name, for logs and tags. */
  public static String key(CharityCampaign c) {
    return c.getMetadata().getNamespace() + "/" + c.getMetadata().getName();
  }
}
