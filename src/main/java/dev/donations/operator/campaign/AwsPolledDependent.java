package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.aws.AwsClients;
import dev.donations.operator.config.OperatorConfig;
import dev.donations.operator.logging.CampaignLogContext;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.dependent.external.PerResourcePollingDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.ExternalResourceCachingEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.AbortedException;

/**
 * Base of the campaign's AWS resources, observed per campaign in the region recorded in status: a
 * resource in a transition (creating, modifying, deleting) is described on its own, every few
 * seconds; a settled one is read from a listing shared by all campaigns ({@link #fromSnapshot}),
 * or, for kinds without one, described again once per drift interval. A failed describe
 * (throttling, a network error) keeps the last observed state and says so, rather than stopping the
 * poller or reporting the resource gone, which would make the operator try to create it again.
 */
public abstract class AwsPolledDependent<R>
    extends PerResourcePollingDependentResource<R, CharityCampaign, String>
    implements Deleter<CharityCampaign> {

  private static final Logger LOG = Logger.getLogger(AwsPolledDependent.class);

  @Inject protected AwsClients aws;
  @Inject protected OperatorConfig config;
  @Inject AwsPollErrors pollErrors;

  private final Map<ResourceID, Observation<R>> lastObserved = new ConcurrentHashMap<>();

  /** What was last observed of a campaign's resource, and when it was last described on its own. */
  protected record Observation<R>(Set<R> resources, long describedAtNanos) {
    /** The resource, when there is one. */
    public Optional<R> resource() {
      return resources.stream().findFirst();
    }

    /** Whether the last description is younger than {@code age}. */
    public boolean describedWithin(Duration age) {
      return System.nanoTime() - describedAtNanos < age.toNanos();
    }
  }

  protected AwsPolledDependent(Class<R> type) {
    super(type, Duration.ofSeconds(10), ResourceIDMapper.singleResourceResourceIDMapper());
  }

  /** The resource as AWS reports it now, or empty when it does not exist. */
  protected abstract Optional<R> describe(String region, CharityCampaign primary);

  /** Whether nothing about the resource is in progress, so it can be polled slowly. */
  protected abstract boolean settled(R resource);

  /**
   * A settled resource's state without a describe of its own: from a listing shared by every
   * campaign where the kind has one, otherwise the last observation until the drift interval has
   * passed. Outer empty: describe it now. Inner empty: the shared listing does not have it (then it
   * is described on its own before being called gone).
   *
   * @param last the last observation, settled; null when this process has not observed it yet
   */
  protected Optional<Optional<R>> fromSnapshot(
      String region, CharityCampaign primary, Observation<R> last) {
    return last != null && last.describedWithin(config.polling().drift())
        ? Optional.of(last.resource())
        : Optional.empty();
  }

  /**
   * Removes the resource, where the campaign's deletion policy says so, in the region recorded in
   * status. Not called when no region was recorded: then nothing was ever created.
   */
  protected abstract void delete(String region, CharityCampaign primary);

  /**
   * The dependent's reconcile, with the campaign, the reconcile id and this dependent in the log
   * context.
   */
  @Override
  public ReconcileResult<R> reconcile(CharityCampaign primary, Context<CharityCampaign> context) {
    return CampaignLogContext.dependent(name(), primary, () -> super.reconcile(primary, context));
  }

  @Override
  public final void delete(CharityCampaign primary, Context<CharityCampaign> context) {
    CampaignLogContext.dependent(
        name(),
        primary,
        () -> {
          forget(primary);
          CampaignStatusFacts.region(primary).ifPresent(region -> delete(region, primary));
        });
  }

  /**
   * A poll, on the poller's thread (or in a reconcile, see observeNow), with the campaign and this
   * dependent in the log context.
   */
  @Override
  public final Set<R> fetchResources(CharityCampaign primary) {
    return CampaignLogContext.poll(name(), primary, () -> fetch(primary, false));
  }

  private Set<R> fetch(CharityCampaign primary, boolean describeNow) {
    ResourceID id = ResourceID.fromResource(primary);
    Optional<String> region = CampaignStatusFacts.region(primary);
    if (region.isEmpty()) {
      return Set.of();
    }
    Observation<R> last = lastObserved.get(id);
    try {
      Observation<R> observed = observe(region.get(), primary, last, describeNow);
      // A create or an update that finished while this poll ran recorded a newer observation: it
      // wins, or an "absent" read just before the create would make the operator create it again.
      boolean recorded =
          last == null
              ? lastObserved.putIfAbsent(id, observed) == null
              : lastObserved.replace(id, last, observed);
      pollErrors.succeeded(name(), id);
      return recorded ? observed.resources() : lastObserved.get(id).resources();
    } catch (RuntimeException e) {
      if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
        // The poller is being stopped (the operator shuts down): not a describe that failed.
        return last == null ? Set.of() : last.resources();
      }
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      pollErrors.failed(
          name(),
          id,
          "cannot describe "
              + name()
              + ": "
              + (Errors.throttled(e) ? Errors.THROTTLED : "")
              + message);
      LOG.warnf(
          "%s: describing %s failed, keeping the last observed state: %s",
          CampaignStatusFacts.key(primary), name(), message);
      return last == null ? Set.of() : last.resources();
    }
  }

  /**
   * Whether the region's shared listing has the resource: empty when the kind has no listing.
   * Consulted for a resource this process has not seen yet, so that campaigns waiting for their
   * first reconcile cost no describe of their own.
   */
  protected Optional<Boolean> listed(String region, CharityCampaign primary) {
    return Optional.empty();
  }

  /**
   * From the shared snapshot while settled and still there, or while absent and not created since;
   * on its own otherwise.
   */
  private Observation<R> observe(
      String region, CharityCampaign primary, Observation<R> last, boolean describeNow) {
    if (!describeNow) {
      // Not there yet. Only this operator creates it, under a deterministic name, and a create
      // replaces the observation (onCreated): until then the absence stands, read from the shared
      // listing when first seen and kept for the drift interval. A create that still meets the
      // resource finds it by name and adopts it.
      if (last == null && listed(region, primary).filter(present -> !present).isPresent()) {
        return new Observation<>(Set.of(), System.nanoTime());
      }
      if (last != null
          && last.resources().isEmpty()
          && last.describedWithin(config.polling().drift())) {
        return last;
      }
    }
    // Settled, or first seen by this process (after a restart): a settled entry of the shared
    // listing
    // will do. A transition is described on its own.
    if (!describeNow && (last == null || isSettled(last.resources()))) {
      Optional<Optional<R>> shared = fromSnapshot(region, primary, last);
      if (shared.isPresent()
          && shared.get().isPresent()
          && (last != null || settled(shared.get().get()))) {
        return new Observation<>(
            Set.of(shared.get().get()), last == null ? System.nanoTime() : last.describedAtNanos());
      }
    }
    return new Observation<>(
        describe(region, primary).map(Set::of).orElse(Set.of()), System.nanoTime());
  }

  private boolean isSettled(Set<R> resources) {
    return resources != null && !resources.isEmpty() && resources.stream().allMatch(this::settled);
  }

  /**
   * What a create or an update returned is the newest observation: a transition it started is
   * polled fast.
   */
  @Override
  protected void onCreated(CharityCampaign primary, R created, Context<CharityCampaign> context) {
    super.onCreated(primary, created, context);
    lastObserved.put(
        ResourceID.fromResource(primary), new Observation<>(Set.of(created), System.nanoTime()));
  }

  @Override
  protected void onUpdated(
      CharityCampaign primary, R updated, R actual, Context<CharityCampaign> context) {
    super.onUpdated(primary, updated, actual, context);
    lastObserved.put(
        ResourceID.fromResource(primary), new Observation<>(Set.of(updated), System.nanoTime()));
  }

  @Override
  public Optional<Duration> fetchDelay(Set<R> lastFetched, CharityCampaign primary) {
    boolean settled =
        isSettled(lastFetched) && !pollErrors.failing(name(), ResourceID.fromResource(primary));
    return Optional.of(settled ? config.polling().steady() : config.polling().provisioning());
  }

  @Override
  protected ExternalResourceCachingEventSource<R, CharityCampaign, String> createEventSource(
      EventSourceContext<CharityCampaign> context) {
    return new ObservingPollingEventSource<>(
        resourceType(),
        context,
        new PerResourcePollingConfigurationBuilder<R, CharityCampaign, String>(
                this, getPollingPeriod())
            .withResourceIDMapper(resourceIDMapper())
            .withName(name())
            .build());
  }

  /**
   * Describes the resource now and puts the result in the poller's cache, with an event when it
   * changed: for a deletion in steps, whose progress a slowly polled, settled resource would
   * otherwise show late.
   */
  @SuppressWarnings("unchecked")
  protected void observeNow(CharityCampaign primary) {
    eventSource()
        .filter(ObservingPollingEventSource.class::isInstance)
        .ifPresent(
            es ->
                ((ObservingPollingEventSource<R>) es)
                    .observed(
                        ResourceID.fromResource(primary),
                        CampaignLogContext.poll(name(), primary, () -> fetch(primary, true))));
  }

  /** The SDK's per-resource poller, which also takes an observation made outside its schedule. */
  private static final class ObservingPollingEventSource<R>
      extends PerResourcePollingEventSource<R, CharityCampaign, String> {
    ObservingPollingEventSource(
        Class<R> type,
        EventSourceContext<CharityCampaign> context,
        PerResourcePollingConfiguration<R, CharityCampaign, String> config) {
      super(type, context, config);
    }

    void observed(ResourceID primary, Set<R> resources) {
      handleResources(primary, resources, true);
    }
  }

  /** Forgets a deleted campaign. */
  private void forget(CharityCampaign primary) {
    lastObserved.remove(ResourceID.fromResource(primary));
    pollErrors.succeeded(name(), ResourceID.fromResource(primary));
  }
}
