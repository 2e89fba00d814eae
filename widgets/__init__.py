"""The shared widget module of Knee Cramp Lab: thin interactive layers over physiology/.

Import what you need from the submodules, e.g. `from widgets.calcium import explore_calcium`.
"""
