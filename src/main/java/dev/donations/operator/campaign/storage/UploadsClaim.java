package dev.donations.operator.campaign.storage;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * The ReadWriteMany claim that every site pod mounts at the uploads path, bound to the campaign's
 * volume.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = UploadsClaim.NAME,
            labelSelector = CampaignLabels.STORAGE_SELECTOR))
public class UploadsClaim extends CampaignDependent<PersistentVolumeClaim> {

  public static final String NAME = "uploads-claim";

  public UploadsClaim() {
    super(PersistentVolumeClaim.class, CampaignLabels.COMPONENT_STORAGE);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.uploadsClaim(campaign);
  }

  @Override
  protected PersistentVolumeClaim desired(
      ResolvedCampaign campaign, Context<CharityCampaign> context) {
    CharityCampaign c = campaign.campaign();
    return new PersistentVolumeClaimBuilder()
        .withMetadata(metadata(c))
        .withNewSpec()
        .withAccessModes("ReadWriteMany")
        .withStorageClassName("")
        .withVolumeName(CampaignNames.uploadsVolume(c))
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity(UploadsVolume.NOMINAL_SIZE)))
        .endResources()
        .endSpec()
        .build();
  }
}
