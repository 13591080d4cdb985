"""Component protocol, registry and runner."""

from marsad.pipeline.component import BaseComponent, Component
from marsad.pipeline.registry import available, create, register
from marsad.pipeline.runner import Pipeline, default_pipeline

__all__ = ["BaseComponent", "Component", "Pipeline", "available", "create", "default_pipeline", "register"]
