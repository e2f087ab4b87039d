package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.logging.CampaignLogContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * A site Secret whose values are generated once and never updated: subclasses are create-only,
 * created only if absent (createResourceOnlyIfNotExistingWithSSA), so a restarted operator never
 * regenerates them.
 */
abstract class GeneratedSecret extends KubernetesDependentResource<Secret, CharityCampaign>
    implements Creator<Secret, CharityCampaign>, GarbageCollected<CharityCampaign> {

  GeneratedSecret() {
    super(Secret.class);
  }

  /**
   * The dependent's reconcile, with the campaign, the reconcile id and this dependent in the log
   * context.
   */
  @Override
  public ReconcileResult<Secret> reconcile(
      CharityCampaign primary, Context<CharityCampaign> context) {
    return CampaignLogContext.dependent(name(), primary, () -> super.reconcile(primary, context));
  }

  @Override
  public void delete(CharityCampaign primary, Context<CharityCampaign> context) {
    CampaignLogContext.dependent(name(), primary, () -> super.delete(primary, context));
  }

  /** The Secret's name for a campaign. */
  protected abstract String name(CharityCampaign campaign);

  /** New values, as plain strings; called only when the Secret does not exist yet. */
  protected abstract Map<String, String> generate();

  @Override
  protected Secret desired(CharityCampaign primary, Context<CharityCampaign> context) {
    CampaignDependent.resolved(context);
    return new SecretBuilder()
        .withMetadata(
            CampaignDependent.standardMetadata(
                primary, name(primary), CampaignLabels.COMPONENT_SITE))
        .withType("Opaque")
        .withStringData(generate())
        .build();
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      CharityCampaign primary, Context<CharityCampaign> context) {
    return new ResourceID(name(primary), primary.getMetadata().getNamespace());
  }
}
