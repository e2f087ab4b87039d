package dev.donations.operator.campaign.route;

import java.util.List;
import java.util.Optional;

/**
 * What routing looked like in one reconcile: where the route points, which of the provider's CRDs
 * are missing, and the HTTPRoute as the API server has it (with what the Gateway's controller
 * reported).
 */
public record RouteObservation(
    RouteTarget target, List<String> missingCrds, Optional<HttpRoute> route) {}
