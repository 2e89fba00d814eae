"""The shared widget module of Knee Cramp Lab: thin interactive layers over physiology/.

Import what you need from the submodules, e.g. `from widgets.calcium import explore_calcium`.
"""

from widgets.lean_state import use_lean_state

use_lean_state()  # pages get core widgets' state without its default values (see the module)
