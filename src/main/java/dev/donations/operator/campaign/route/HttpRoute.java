package dev.donations.operator.campaign.route;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
 * The part of a Gateway API HTTPRoute (standard channel, v1) that the operator writes and reads.
 * Typed, like the KEDA ScaledObject, so its informer can be started and stopped as the CRD comes
 * and goes. Every field the API server would default is written explicitly, so a converged route
 * compares equal.
 */
@Group("gateway.networking.k8s.io")
@Version("v1")
@Kind("HTTPRoute")
@Plural("httproutes")
public class HttpRoute extends CustomResource<HttpRoute.Spec, HttpRoute.Status>
    implements Namespaced {

  public static final String CRD = "httproutes.gateway.networking.k8s.io";

  /** HTTPRoute spec fields in use; maps keep each element exactly as the CRD spells it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public List<Map<String, Object>> parentRefs;
    public List<String> hostnames;
    public List<Map<String, Object>> rules;
  }

  /**
   * What the Gateway's controller reports: per parent, conditions such as Accepted and
   * ResolvedRefs.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Status {
    public List<Map<String, Object>> parents;
  }
}
