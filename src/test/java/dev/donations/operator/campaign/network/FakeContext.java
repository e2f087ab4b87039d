package dev.donations.operator.campaign.network;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.ResourceOperations;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowCleanupResult;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * The little of a reconcile's context the site's NetworkPolicy reads: the workflow context's values
 * and the secondary resources by type. Anything else is not expected and throws.
 */
final class FakeContext implements Context<CharityCampaign> {

  private final Map<Object, Object> values = new HashMap<>();
  private final Map<Class<?>, Object> secondaries = new HashMap<>();

  FakeContext put(Object key, Object value) {
    values.put(key, value);
    return this;
  }

  FakeContext secondary(Class<?> type, Object resource) {
    secondaries.put(type, resource);
    return this;
  }

  @Override
  public <R> Optional<R> getSecondaryResource(Class<R> type, String name) {
    return Optional.ofNullable(type.cast(secondaries.get(type)));
  }

  @Override
  public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
    return new ManagedWorkflowAndDependentResourceContext() {
      @Override
      public <T> Optional<T> get(Object key, Class<T> type) {
        return Optional.ofNullable(type.cast(values.get(key)));
      }

      @Override
      @SuppressWarnings("unchecked")
      public <T> T put(Object key, T value) {
        return (T) values.put(key, value);
      }

      @Override
      public <T> T getMandatory(Object key, Class<T> type) {
        return get(key, type).orElseThrow();
      }

      @Override
      public Optional<WorkflowReconcileResult> getWorkflowReconcileResult() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Optional<WorkflowCleanupResult> getWorkflowCleanupResult() {
        throw new UnsupportedOperationException();
      }

      @Override
      public WorkflowReconcileResult reconcileManagedWorkflow() {
        throw new UnsupportedOperationException();
      }

      @Override
      public WorkflowCleanupResult cleanupManageWorkflow() {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Override
  public Optional<RetryInfo> getRetryInfo() {
    throw new UnsupportedOperationException();
  }

  @Override
  public <R> Set<R> getSecondaryResources(Class<R> type, boolean deduplicate) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <R> Stream<R> getSecondaryResourcesAsStream(Class<R> type, boolean deduplicate) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ControllerConfiguration<CharityCampaign> getControllerConfiguration() {
    throw new UnsupportedOperationException();
  }

  @Override
  public EventSourceRetriever<CharityCampaign> eventSourceRetriever() {
    throw new UnsupportedOperationException();
  }

  @Override
  public io.fabric8.kubernetes.client.KubernetesClient getClient() {
    throw new UnsupportedOperationException();
  }

  @Override
  public ResourceOperations<CharityCampaign> resourceOperations() {
    throw new UnsupportedOperationException();
  }

  @Override
  public ExecutorService getWorkflowExecutorService() {
    throw new UnsupportedOperationException();
  }

  @Override
  public CharityCampaign getPrimaryResource() {
    throw new UnsupportedOperationException();
  }

  @Override
  public IndexedResourceCache<CharityCampaign> getPrimaryCache() {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean isNextReconciliationImminent() {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean isPrimaryResourceDeleted() {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean isPrimaryResourceFinalStateUnknown() {
    throw new UnsupportedOperationException();
  }
}
