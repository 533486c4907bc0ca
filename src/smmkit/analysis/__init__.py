"""Analysis methods that the modules teach, one submodule per topic.

- ``posting_time``: weekday x hour grids in local time, slot planning, expected reach change;
- ``schedule``: a content plan scheduled under constraints (exact MILP and a greedy baseline);
- ``audience``: RFM, k-means segments, audience core, lookalike scores and lift@k;
- ``abtest``: two-proportion z-test, sample size per arm, Bayesian P(B > A);
- ``budget``: channel response curves and budget allocation (equal marginals, cost per target contact);
- ``attribution``: first, last, linear, time-decay, position-based, Markov removal effect, Shapley;
- ``e2e``: end-to-end analytics: UTM, ads + web events + CRM, LTV, retention;
- ``sentiment`` and ``reputation``: lexicon sentiment (RU/KZ), mention dynamics, alerts, response SLA;
- ``bots``: transparent bot rules, their precision/recall, channel anomalies.
"""
