"""CloudFront distributions that deploy, version and refuse as CloudFront does.

moto refuses a cache behaviour whose target is an origin group (it looks the target up among the origins
only), keeps distributions "Deployed" at once, never changes a distribution's ETag, ignores If-Match and
deletes an enabled distribution. The operator's deletion (disable, wait until Deployed, delete with the
ETag) would pass against that without proving anything, so the front wraps moto's CloudFront backend
(moto stays the only state, as with RDS):

  DistributionConfig                                 a behaviour may target an origin group whose members are
                                                     origins of the distribution (else NoSuchOrigin, as moto)
  CreateDistribution(WithTags), UpdateDistribution   status InProgress, Deployed after `deploying` seconds;
                                                     every update gives the distribution a new ETag
  UpdateDistribution, DeleteDistribution             PreconditionFailed (412) unless If-Match is the ETag
  DeleteDistribution                                 DistributionNotDisabled (409) unless the distribution
                                                     is disabled and Deployed

The delay is `cloudfront.deploying` in /_awsfront/config (default 2 s; 0 = moto's instant behaviour).
"""
from __future__ import annotations

import logging
import threading
import time

from moto.cloudfront import models as cloudfront_models
from moto.cloudfront.exceptions import CloudFrontException, OriginDoesNotExist
from moto.cloudfront.models import CloudFrontBackend, random_id
from moto.moto_api import state_manager

log = logging.getLogger("awsfront.cloudfront")

MODEL = "cloudfront::distribution"


class PreconditionFailed(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("PreconditionFailed", "The precondition in one or more of the request fields evaluated to false.")


class DistributionNotDisabled(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("DistributionNotDisabled",
                         "The distribution you are trying to delete has not been disabled.")


class CloudFrontDeployments:
    """Wraps CloudFrontBackend's distribution calls; one lock, also taken by the deploy timers."""

    def __init__(self, config):
        self.config = config
        self.lock = threading.RLock()

    def install(self) -> None:
        self._allow_origin_group_targets()
        # The front decides the status; moto's own progression would jump to Deployed on the next read.
        state_manager.set_transition(MODEL, {"progression": "manual", "times": 10 ** 12})
        original_create = CloudFrontBackend.create_distribution_with_tags
        original_update = CloudFrontBackend.update_distribution
        original_delete = CloudFrontBackend.delete_distribution
        front = self

        def create_distribution_with_tags(backend, distribution_config, tags):
            with front.lock:
                dist, location, etag = original_create(backend, distribution_config, tags)
                front._deploy(dist)
                return dist, location, dist.etag

        def update_distribution(backend, dist_config, _id, if_match):
            with front.lock:
                front._check_etag(backend, _id, if_match)
                dist, location, _ = original_update(backend, dist_config, _id, if_match)
                dist.etag = random_id()
                front._deploy(dist)
                return dist, location, dist.etag

        def delete_distribution(backend, distribution_id, if_match):
            with front.lock:
                front._check_etag(backend, distribution_id, if_match)
                dist = backend.distributions[distribution_id]
                if dist.distribution_config.Enabled in (True, "true") or dist.status != "Deployed":
                    raise DistributionNotDisabled()
                return original_delete(backend, distribution_id, if_match)

        CloudFrontBackend.create_distribution_with_tags = create_distribution_with_tags
        CloudFrontBackend.update_distribution = update_distribution
        CloudFrontBackend.delete_distribution = delete_distribution

    @staticmethod
    def _allow_origin_group_targets() -> None:
        original_init = cloudfront_models.DistributionConfig.__init__

        def init(config_obj, config):
            behaviour = config.get("DefaultCacheBehavior") or {}
            target = behaviour.get("TargetOriginId")
            groups = {g.get("Id"): g for g in ((config.get("OriginGroups") or {}).get("Items") or [])}
            if target not in groups:
                return original_init(config_obj, config)
            origins = {o.get("Id") for o in ((config.get("Origins") or {}).get("Items") or [])}
            members = [m.get("OriginId") for m in ((groups[target].get("Members") or {}).get("Items") or [])]
            if not members or any(m not in origins for m in members):
                raise OriginDoesNotExist()
            # moto checks the target against the origins only: let it check a member, then put the group back.
            behaviour["TargetOriginId"] = members[0]
            original_init(config_obj, config)
            config_obj.DefaultCacheBehavior.target_origin_id = target

        cloudfront_models.DistributionConfig.__init__ = init

    @staticmethod
    def _check_etag(backend, distribution_id, if_match) -> None:
        dist = backend.distributions.get(distribution_id)
        if dist is not None and if_match and if_match != dist.etag:
            raise PreconditionFailed()

    def _deploy(self, dist) -> None:
        seconds = self.config.cloudfront_deploying()
        if seconds <= 0:
            dist.status = "Deployed"
            return
        dist.status = "InProgress"
        token = object()
        dist._awsfront_deploy = token

        def done():
            with self.lock:
                # A later update restarts the deployment; only its own timer ends it.
                if getattr(dist, "_awsfront_deploy", None) is token:
                    dist.status = "Deployed"

        timer = threading.Timer(seconds, done)
        timer.daemon = True
        timer.start()
        log.info("distribution %s InProgress for %.1fs (deployed at %.1f)", dist.distribution_id, seconds,
                 time.monotonic() + seconds)
