package dev.donations.operator.campaign.database;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.aws.AwsClients;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CampaignStatusFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;

/**
 * Keeps the finalizer until the database policy is fulfilled: under Snapshot the instance is gone
 * and its final snapshot is available; under Delete the instance is gone; Retain is fulfilled at
 * once.
 */
@ApplicationScoped
@Unremovable
public class DatabaseDeleted implements Condition<DatabaseInstance, CharityCampaign> {

  @Inject AwsClients aws;

  @Override
  public boolean isMet(
      DependentResource<DatabaseInstance, CharityCampaign> dependent,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    DatabaseDeletionPolicy policy = CampaignStatusFacts.databaseDeletion(primary);
    var region = CampaignStatusFacts.region(primary);
    if (policy == DatabaseDeletionPolicy.Retain || region.isEmpty()) {
      return true;
    }
    var rds = aws.rds(region.get());
    if (RdsDatabase.describe(rds, CampaignNames.databaseIdentifier(primary)).isPresent()) {
      return false;
    }
    if (policy == DatabaseDeletionPolicy.Delete) {
      return true;
    }
    try {
      return rds
          .describeDBSnapshots(b -> b.dbSnapshotIdentifier(CampaignNames.finalSnapshot(primary)))
          .dbSnapshots()
          .stream()
          .anyMatch(s -> "available".equals(s.status()));
    } catch (DbSnapshotNotFoundException e) {
      // No snapshot is owed for a database that never existed.
      return !CampaignStatusFacts.databaseSeen(primary);
    }
  }
}
