package dev.donations.operator.campaign.storage;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import dev.donations.operator.aws.AwsClients;
import dev.donations.operator.campaign.CampaignStatusFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Under storage policy Delete the finalizer stays until the file system is gone. */
@ApplicationScoped
@Unremovable
public class StorageDeleted implements Condition<EfsStorage, CharityCampaign> {

  @Inject AwsClients aws;

  @Override
  public boolean isMet(
      DependentResource<EfsStorage, CharityCampaign> dependent,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    var region = CampaignStatusFacts.region(primary);
    if (CampaignStatusFacts.storageDeletion(primary) != StorageDeletionPolicy.Delete
        || region.isEmpty()) {
      return true;
    }
    return EfsFileSystem.describe(aws.efs(region.get()), primary).isEmpty();
  }
}
