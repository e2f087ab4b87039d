package dev.donations.operator.campaign.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Map;

/**
 * The part of KEDA's ScaledObject that the operator writes. A typed class rather than a generic
 * one: its informer then needs no API discovery, so it can be set up and torn down while KEDA is
 * not installed.
 */
@Group("keda.sh")
@Version("v1alpha1")
@Kind("ScaledObject")
@Plural("scaledobjects")
public class ScaledObject extends CustomResource<ScaledObject.Spec, Void> implements Namespaced {

  /** ScaledObject spec fields in use. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public Map<String, String> scaleTargetRef;
    public Integer minReplicaCount;
    public Integer maxReplicaCount;
    public Map<String, Integer> fallback;
    public Map<String, Map<String, Map<String, Map<String, Object>>>> advanced;
    public List<Map<String, Object>> triggers;
  }
}
