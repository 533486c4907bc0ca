"""Running a brand's profiles (module 04): the calendar of Kazakhstan, plan rules, texts, replies, spelling,
cross-posting (``crosspost``) and the cases of the law lesson (``law_cases``).

Each topic keeps its content in a YAML file beside its module (dated and sourced where it can age).
"""
