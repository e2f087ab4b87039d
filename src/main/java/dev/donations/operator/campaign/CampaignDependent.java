package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.logging.CampaignLogContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Base of the campaign's namespaced Kubernetes objects: applied with server-side apply, owned by
 * the campaign (so garbage-collected with it), found by a name that is a pure function of the
 * campaign.
 */
public abstract class CampaignDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, CharityCampaign> {

  private final String component;

  protected CampaignDependent(Class<R> type, String component) {
    super(type);
    this.component = component;
  }

  /**
   * The dependent's reconcile, with the campaign, the reconcile id and this dependent in the log
   * context.
   */
  @Override
  public ReconcileResult<R> reconcile(CharityCampaign primary, Context<CharityCampaign> context) {
    return CampaignLogContext.dependent(name(), primary, () -> super.reconcile(primary, context));
  }

  @Override
  public void delete(CharityCampaign primary, Context<CharityCampaign> context) {
    CampaignLogContext.dependent(name(), primary, () -> super.delete(primary, context));
  }

  /** Name of this object for the given campaign. */
  protected abstract String name(CharityCampaign campaign);

  /** The object as it should be; called only with a resolved (valid) campaign. */
  protected abstract R desired(ResolvedCampaign campaign, Context<CharityCampaign> context);

  @Override
  protected final R desired(CharityCampaign primary, Context<CharityCampaign> context) {
    return desired(resolved(context), context);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      CharityCampaign primary, Context<CharityCampaign> context) {
    return new ResourceID(name(primary), primary.getMetadata().getNamespace());
  }

  /** Metadata with this component's standard labels. */
  protected ObjectMeta metadata(CharityCampaign campaign) {
    return standardMetadata(campaign, name(campaign), component);
  }

  /** Name, namespace and the standard labels of one of the campaign's objects. */
  public static ObjectMeta standardMetadata(
      CharityCampaign campaign, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(campaign.getMetadata().getNamespace())
        .withLabels(CampaignLabels.of(campaign, component))
        .build();
  }

  public static ResolvedCampaign resolved(Context<CharityCampaign> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(ResolvedCampaign.CONTEXT_KEY, ResolvedCampaign.class);
  }
}
