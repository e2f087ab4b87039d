package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Whether KEDA's ScaledObject CRD exists, read from an informer that watches that one CRD, so
 * installing or removing KEDA reconciles every campaign and switches HPA and ScaledObject without a
 * restart.
 */
public class KedaInstalled implements Condition<Object, CharityCampaign> {

  public static final String CRD = "scaledobjects.keda.sh";
  public static final String SOURCE = "keda-crd";

  @Override
  public boolean isMet(
      DependentResource<Object, CharityCampaign> dependent,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    return installed(context);
  }

  @SuppressWarnings("unchecked")
  static boolean installed(Context<CharityCampaign> context) {
    var source =
        (InformerEventSource<CustomResourceDefinition, CharityCampaign>)
            context
                .eventSourceRetriever()
                .getEventSourceFor(CustomResourceDefinition.class, SOURCE);
    return source.get(new ResourceID(CRD)).isPresent();
  }

  /** The HPA's precondition: the opposite; when it fails the workflow deletes the HPA. */
  public static class Absent implements Condition<Object, CharityCampaign> {
    @Override
    public boolean isMet(
        DependentResource<Object, CharityCampaign> dependent,
        CharityCampaign primary,
        Context<CharityCampaign> context) {
      return !installed(context);
    }
  }
}
