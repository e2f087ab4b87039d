package dev.donations.operator.campaign.storage;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CampaignObservation;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.campaign.PartError;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.StatusConditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/** The campaign's StorageReady condition, and the storage part of its status. Pure. */
public final class StorageReadyCondition {

  private StorageReadyCondition() {}

  public static Condition of(
      ResolvedCampaign resolved,
      CampaignObservation observed,
      CharityCampaignStatus status,
      StatusConditions c) {
    PartError error = observed.errorsByCondition().get(Conditions.STORAGE_READY);
    Optional<EfsStorage> efs = observed.storage();
    efs.ifPresent(
        s -> {
          CharityCampaignStatus.StorageStatus st = new CharityCampaignStatus.StorageStatus();
          st.fileSystemId = s.fileSystemId();
          st.accessPointId = s.accessPointId();
          st.mountTargets = (int) s.availableMountTargets();
          status.storage = st;
        });
    if (error != null) {
      return c.error(Conditions.STORAGE_READY, error);
    }
    if (efs.isEmpty()) {
      return c.of(Conditions.STORAGE_READY, false, "Creating", "creating the EFS file system");
    }
    EfsStorage s = efs.get();
    int wanted = resolved.storage().subnetIds().size();
    if (!s.fileSystemAvailable()
        || s.availableMountTargets() < wanted
        || !s.accessPointAvailable()) {
      return c.of(
          Conditions.STORAGE_READY,
          false,
          "Waiting",
          "EFS "
              + s.fileSystemId()
              + " is "
              + s.fileSystemState()
              + ", "
              + s.availableMountTargets()
              + " of "
              + wanted
              + " mount targets available, access point "
              + (s.accessPointId() == null ? "not created yet" : s.accessPointState()));
    }
    String claim = CampaignNames.uploadsClaim(resolved.campaign());
    String phase =
        observed
            .uploadsClaim()
            .map(pvc -> pvc.getStatus() == null ? null : pvc.getStatus().getPhase())
            .orElse(null);
    if (!"Bound".equals(phase)) {
      return c.of(
          Conditions.STORAGE_READY,
          false,
          "Binding",
          "claim " + claim + " is " + (phase == null ? "not created yet" : phase));
    }
    return c.of(
        Conditions.STORAGE_READY,
        true,
        "Bound",
        "EFS " + s.volumeHandle() + " is mounted through claim " + claim);
  }
}
