package dev.donations.operator.logging;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * JOSDK's metrics, plus a reconcile id in the log context for each reconcile or cleanup. JOSDK 5.3
 * offers no interceptor around a reconcile; it calls {@code reconciliationStarted} and {@code
 * reconciliationFinished} on the thread that runs it, around everything it does for one event: the
 * finalizer, {@code reconcile} or {@code cleanup}, the status patch and {@code updateErrorStatus}.
 * So the id covers JOSDK's own lines about that reconcile too, and the reconciler stays untouched.
 */
public final class ReconcileLogMetrics implements Metrics {

  private final Metrics delegate;

  public ReconcileLogMetrics(Metrics delegate) {
    this.delegate = delegate;
  }

  @Override
  public void reconciliationStarted(HasMetadata resource, Map<String, Object> metadata) {
    CampaignLogContext.started(ResourceID.fromResource(resource));
    delegate.reconciliationStarted(resource, metadata);
  }

  @Override
  public void reconciliationFinished(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    try {
      delegate.reconciliationFinished(resource, retryInfo, metadata);
    } finally {
      CampaignLogContext.finished(resource == null ? null : ResourceID.fromResource(resource));
    }
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    delegate.controllerRegistered(controller);
  }

  @Override
  public void eventReceived(Event event, Map<String, Object> metadata) {
    delegate.eventReceived(event, metadata);
  }

  @Override
  public void reconciliationSubmitted(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    delegate.reconciliationSubmitted(resource, retryInfo, metadata);
  }

  @Override
  public void reconciliationFailed(
      HasMetadata resource,
      RetryInfo retryInfo,
      Exception exception,
      Map<String, Object> metadata) {
    delegate.reconciliationFailed(resource, retryInfo, exception, metadata);
  }

  @Override
  public void reconciliationSucceeded(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationSucceeded(resource, metadata);
  }

  @Override
  public void cleanupDone(ResourceID resourceID, Map<String, Object> metadata) {
    delegate.cleanupDone(resourceID, metadata);
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    return delegate.timeControllerExecution(execution);
  }
}
