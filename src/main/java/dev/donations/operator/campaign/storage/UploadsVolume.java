package dev.donations.operator.campaign.storage;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.logging.CampaignLogContext;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * The PersistentVolume for the EFS CSI driver, pre-bound to the campaign's claim. PersistentVolumes
 * are cluster-scoped and cannot be owned by a namespaced campaign, so it is deleted explicitly; its
 * reclaim policy is Retain because the data's fate is the storage deletion policy's, not
 * Kubernetes'.
 */
// Cluster-scoped, so watched cluster-wide whatever namespaces the controller watches: an informer
// that
// follows a namespace list never sees (nor caches its own writes of) a PersistentVolume.
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = UploadsVolume.NAME,
            labelSelector = CampaignLabels.STORAGE_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            followControllerNamespaceChanges = false))
public class UploadsVolume
    extends CRUDNoGCKubernetesDependentResource<PersistentVolume, CharityCampaign> {

  public static final String NAME = "uploads-volume";
  public static final String CSI_DRIVER = "efs.csi.aws.com";

  /** EFS is elastic; Kubernetes still wants a size, which the CSI driver ignores. */
  public static final String NOMINAL_SIZE = "100Gi";

  public UploadsVolume() {
    super(PersistentVolume.class);
  }

  /**
   * The dependent's reconcile, with the campaign, the reconcile id and this dependent in the log
   * context.
   */
  @Override
  public ReconcileResult<PersistentVolume> reconcile(
      CharityCampaign primary, Context<CharityCampaign> context) {
    return CampaignLogContext.dependent(name(), primary, () -> super.reconcile(primary, context));
  }

  @Override
  public void delete(CharityCampaign primary, Context<CharityCampaign> context) {
    CampaignLogContext.dependent(name(), primary, () -> super.delete(primary, context));
  }

  @Override
  protected PersistentVolume desired(CharityCampaign primary, Context<CharityCampaign> context) {
    CampaignDependent.resolved(context);
    EfsStorage storage =
        context
            .getSecondaryResource(EfsStorage.class)
            .orElseThrow(() -> new IllegalStateException("EFS not observed yet"));
    return build(primary, storage);
  }

  /** The volume of a campaign whose EFS storage is {@code storage}. */
  static PersistentVolume build(CharityCampaign primary, EfsStorage storage) {
    return new PersistentVolumeBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(CampaignNames.uploadsVolume(primary))
                .withLabels(CampaignLabels.of(primary, CampaignLabels.COMPONENT_STORAGE))
                .build())
        .withNewSpec()
        .withCapacity(Map.of("storage", new Quantity(NOMINAL_SIZE)))
        .withVolumeMode("Filesystem")
        .withAccessModes("ReadWriteMany")
        .withPersistentVolumeReclaimPolicy("Retain")
        .withNewClaimRef()
        .withNamespace(primary.getMetadata().getNamespace())
        .withName(CampaignNames.uploadsClaim(primary))
        .endClaimRef()
        .withNewCsi()
        .withDriver(CSI_DRIVER)
        .withVolumeHandle(storage.volumeHandle())
        .withVolumeAttributes(Map.of("encryptInTransit", "true"))
        .endCsi()
        .endSpec()
        .build();
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      CharityCampaign primary, Context<CharityCampaign> context) {
    return new ResourceID(CampaignNames.uploadsVolume(primary));
  }
}
