package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the workflow left: the dependents that failed (by name) and, for a cleanup, those
 * whose delete postcondition is not met yet.
 *
 * <p>The workflow is declared with handleExceptionsInReconciler, but quarkus-operator-sdk 7.7.3's
 * QuarkusWorkflowSpec answers false to handleExceptionsInReconciler() whatever the annotation says,
 * so JOSDK throws an AggregatedOperatorException at the end of a run with failures. Caught here,
 * the failures become conditions in status instead of escaping the reconcile, which would skip the
 * status write and leave a campaign without a word about what failed.
 */
record WorkflowOutcome(Map<String, Exception> errors, List<String> waiting) {

  static WorkflowOutcome reconcile(Context<CharityCampaign> context) {
    try {
      var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      return new WorkflowOutcome(byName(result.getErroredDependents()), List.of());
    } catch (AggregatedOperatorException e) {
      return new WorkflowOutcome(new LinkedHashMap<>(e.getAggregatedExceptions()), List.of());
    }
  }

  static WorkflowOutcome cleanup(Context<CharityCampaign> context) {
    try {
      var result = context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
      return new WorkflowOutcome(
          byName(result.getErroredDependents()),
          result.getPostConditionNotMetDependents().stream().map(DependentResource::name).toList());
    } catch (AggregatedOperatorException e) {
      return new WorkflowOutcome(new LinkedHashMap<>(e.getAggregatedExceptions()), List.of());
    }
  }

  boolean failed() {
    return !errors.isEmpty();
  }

  boolean done() {
    return errors.isEmpty() && waiting.isEmpty();
  }

  private static Map<String, Exception> byName(Map<DependentResource, Exception> errored) {
    Map<String, Exception> byName = new LinkedHashMap<>();
    errored.forEach((d, e) -> byName.put(d.name(), e));
    return byName;
  }
}
