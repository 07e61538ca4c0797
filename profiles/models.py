"""Where Django (and the migrations) find the profiles app's models; each is defined in its sub-package."""

from .bilingual import BilingualNameMixin  # noqa: F401  (named by the migrations)
from .competencies.models import (  # noqa: F401
    Competency,
    CompetencyArea,
    CompetencyFramework,
    CountedMoment,
    EvidenceIsAppendOnly,
    LevelCell,
    LevelEvidence,
    LevelEvidenceQuerySet,
    LevelInterval,
    PlacementInterval,
    ProficiencyLevel,
    RoleTarget,
    StaffCell,
)
from .competencies.moodle.models import FrameworkImport  # noqa: F401
from .hr_data.models import LegacyRating, StaffImport  # noqa: F401
from .organisation.models import ActingHead, Employee, HROfficerScope, OrgUnit, PersonnelGroup  # noqa: F401
from .prior_learning.models import (  # noqa: F401
    CompletionImport,
    OutsideCompletion,
    OutsideCourse,
    PriorLearningClaim,
)
from .reports.models import (  # noqa: F401
    CapabilityPlan,
    PlanTarget,
    PlanTargetValue,
    _fiscal_year_validator,  # named by the migrations
)
