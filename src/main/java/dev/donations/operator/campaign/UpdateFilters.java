package dev.donations.operator.campaign;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;
import java.util.Optional;

/**
 * Which updates of the campaign's own objects wake the campaign up. The controllers write the
 * status of a Deployment four or five times while its pods start, and of a PodDisruptionBudget and
 * an autoscaler along the way; each write was a reconcile, although the operator reads only a
 * Deployment's replica counts. A change of the spec (the generation), of the labels, annotations,
 * owners or finalizers, or a deletion, always passes: that is drift the operator repairs.
 */
public final class UpdateFilters {

  private UpdateFilters() {}

  /** Passes what the operator owns changing, not a status written by a controller. */
  public static class OwnedFields<R extends HasMetadata> implements OnUpdateFilter<R> {
    @Override
    public boolean accept(R newResource, R oldResource) {
      return ownedFieldsChanged(newResource, oldResource);
    }
  }

  /** As {@link OwnedFields}, and the replica counts that site and fallback readiness read. */
  public static class DeploymentReadiness implements OnUpdateFilter<Deployment> {
    @Override
    public boolean accept(Deployment newResource, Deployment oldResource) {
      return ownedFieldsChanged(newResource, oldResource)
          || !Objects.equals(replicas(newResource), replicas(oldResource))
          || !Objects.equals(readyReplicas(newResource), readyReplicas(oldResource));
    }

    private static Integer replicas(Deployment d) {
      return Optional.ofNullable(d.getStatus()).map(DeploymentStatus::getReplicas).orElse(null);
    }

    private static Integer readyReplicas(Deployment d) {
      return Optional.ofNullable(d.getStatus())
          .map(DeploymentStatus::getReadyReplicas)
          .orElse(null);
    }
  }

  static boolean ownedFieldsChanged(HasMetadata newResource, HasMetadata oldResource) {
    ObjectMeta n = newResource.getMetadata();
    ObjectMeta o = oldResource.getMetadata();
    return !Objects.equals(n.getGeneration(), o.getGeneration())
        || !Objects.equals(n.getLabels(), o.getLabels())
        || !Objects.equals(n.getAnnotations(), o.getAnnotations())
        || !Objects.equals(n.getOwnerReferences(), o.getOwnerReferences())
        || !Objects.equals(n.getFinalizers(), o.getFinalizers())
        || !Objects.equals(n.getDeletionTimestamp(), o.getDeletionTimestamp());
  }
}
