"""The muscle groups around the knee that cramp, from data/muscle_groups.yaml."""
from __future__ import annotations

from pydantic import Field

from physiology import data
from physiology.data import Quantity, Strict


class MuscleGroup(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    name: str
    muscles: str
    crosses: str
    action_at_knee: str
    two_joint_part: str
    cramp_feels_like: str
    how_to_stretch: str
    share_of_crampers: list[Quantity] = Field(min_length=1)
    refs: list[str] = Field(min_length=1)


class MuscleGroupsFile(Strict):
    groups: list[MuscleGroup] = Field(min_length=1)


data.register("muscle_groups.yaml", MuscleGroupsFile)


def muscle_groups() -> dict[str, MuscleGroup]:
    return {g.id: g for g in data.load("muscle_groups.yaml", MuscleGroupsFile).groups}
