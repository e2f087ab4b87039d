package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.app.KedaInstalled;
import dev.donations.operator.campaign.route.CampaignRouting;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What wakes a campaign besides its own objects: its class, its custom fallback page, KEDA's CRD,
 * the route APIs and the AWS pollers' errors; with the indexes of the campaign cache that map them
 * back to campaigns, and the look-ups that read a campaign's class, page and host rivals from them.
 */
final class CampaignEventSources {

  static final String CLASS_SOURCE = "campaign-classes";
  static final String PAGE_SOURCE = "fallback-pages";
  static final String HOST_INDEX = "by-host";
  static final String CLASS_INDEX = "by-class";
  static final String PAGE_INDEX = "by-page";

  private CampaignEventSources() {}

  /** Every event source of the reconciler besides its dependents'. */
  static List<EventSource<?, CharityCampaign>> prepare(
      EventSourceContext<CharityCampaign> context, AwsPollErrors pollErrors) {
    List<EventSource<?, CharityCampaign>> sources = new ArrayList<>(own(context));
    sources.addAll(CampaignRouting.eventSources(context));
    sources.add(pollErrors.eventSource());
    return sources;
  }

  private static List<EventSource<?, CharityCampaign>> own(
      EventSourceContext<CharityCampaign> context) {
    var primaries = context.getPrimaryCache();
    primaries.addIndexer(
        HOST_INDEX,
        c ->
            c.getSpec() == null || c.getSpec().site == null
                ? List.of()
                : List.of(c.getSpec().site.host));
    primaries.addIndexer(
        CLASS_INDEX, c -> c.getSpec() == null ? List.of() : List.of(c.getSpec().className));
    primaries.addIndexer(
        PAGE_INDEX,
        c ->
            pageConfigMap(c)
                .map(id -> List.of(id.getNamespace().orElse("") + "/" + id.getName()))
                .orElse(List.of()));

    var classes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(CampaignClass.class, CharityCampaign.class)
                .withName(CLASS_SOURCE)
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(
                    cls ->
                        primaries.byIndex(CLASS_INDEX, cls.getMetadata().getName()).stream()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    var pages =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, CharityCampaign.class)
                .withName(PAGE_SOURCE)
                .withItemStore(new CompactItemStore<>())
                .withLabelSelector(CampaignLabels.FALLBACK_PAGE_LABEL + "=true")
                .withSecondaryToPrimaryMapper(
                    cm ->
                        primaries
                            .byIndex(
                                PAGE_INDEX,
                                cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName())
                            .stream()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    // Only KEDA's ScaledObject CRD, by name: installing or removing KEDA switches every campaign's
    // scaler.
    var keda =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(
                    CustomResourceDefinition.class, CharityCampaign.class)
                .withName(KedaInstalled.SOURCE)
                .withWatchAllNamespaces()
                .withFieldSelector(
                    new FieldSelector(new FieldSelector.Field("metadata.name", KedaInstalled.CRD)))
                .withSecondaryToPrimaryMapper(
                    crd ->
                        primaries.list().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(classes, pages, keda);
  }

  /** The campaign's class, if it exists. */
  static Optional<CampaignClass> campaignClass(
      CharityCampaign campaign, Context<CharityCampaign> context) {
    return classes(context).get(new ResourceID(campaign.getSpec().className));
  }

  /**
   * The ConfigMap named by spec.fallback.htmlConfigMap, if the campaign names one and it exists.
   */
  static Optional<ConfigMap> page(CharityCampaign campaign, Context<CharityCampaign> context) {
    return pageConfigMap(campaign).flatMap(id -> pages(context).get(id));
  }

  /** Every campaign with the same host, this one included. */
  static List<CharityCampaign> sameHost(
      CharityCampaign campaign, Context<CharityCampaign> context) {
    return context.getPrimaryCache().byIndex(HOST_INDEX, campaign.getSpec().site.host);
  }

  static Optional<ResourceID> pageConfigMap(CharityCampaign c) {
    if (c.getSpec() == null
        || c.getSpec().fallback == null
        || c.getSpec().fallback.htmlConfigMap == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ResourceID(c.getSpec().fallback.htmlConfigMap.name, c.getMetadata().getNamespace()));
  }

  @SuppressWarnings("unchecked")
  static InformerEventSource<CampaignClass, CharityCampaign> classes(
      Context<CharityCampaign> context) {
    return (InformerEventSource<CampaignClass, CharityCampaign>)
        context.eventSourceRetriever().getEventSourceFor(CampaignClass.class, CLASS_SOURCE);
  }

  @SuppressWarnings("unchecked")
  static InformerEventSource<ConfigMap, CharityCampaign> pages(Context<CharityCampaign> context) {
    return (InformerEventSource<ConfigMap, CharityCampaign>)
        context.eventSourceRetriever().getEventSourceFor(ConfigMap.class, PAGE_SOURCE);
  }
}
