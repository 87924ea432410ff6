"""The catalogue preloaded with every figure the seeds quote and one figure per registered
metric (issue 22, point 1), and the default annual report template (seed 000: 抓学习 /
抓实干 / 抓管理). Both are data: leaders and the assessment office edit them afterwards.

Each row: key, label, unit, group, metric keys, audience, aggregation, roll-up, headline,
position, records page, records page filters.
"""

from django.db import migrations

FIGURES = [
    ('learning.articles', '媒体上稿（刊发文章）', '篇', '学习', ['learning.articles'], '', 'sum', 'sum', True, 10, '', {}),
    ('learning.articles_city', '市级媒体刊发文章数', '篇', '学习', ['learning.articles_city'], '', 'sum', 'sum', False, 20, '', {}),
    ('learning.articles_city_up', '市级及以上媒体刊发文章数', '篇', '学习', ['learning.articles_city_up'], '', 'sum', 'sum', False, 30, '', {}),
    ('learning.articles_county', '县级媒体刊发文章数', '篇', '学习', ['learning.articles_county'], '', 'sum', 'sum', False, 40, '', {}),
    ('learning.articles_national', '国家级媒体刊发文章数', '篇', '学习', ['learning.articles_national'], '', 'sum', 'sum', False, 50, '', {}),
    ('learning.articles_prefectural', '州（地）级媒体刊发文章数', '篇', '学习', ['learning.articles_prefectural'], '', 'sum', 'sum', False, 60, '', {}),
    ('learning.articles_provincial', '省级媒体刊发文章数', '篇', '学习', ['learning.articles_provincial'], '', 'sum', 'sum', False, 70, '', {}),
    ('learning.books', '读书数量', '本', '学习', ['learning.books'], '', 'sum', 'sum', False, 80, '', {}),
    ('learning.books_listed', '推荐书目读书数量', '本', '学习', ['learning.books_listed'], '', 'sum', 'sum', False, 90, '', {}),
    ('learning.first_topic_attendance', '第一议题学习次数', '次', '学习', ['learning.first_topic_attendance'], '', 'sum', 'sum', False, 100, '', {}),
    ('learning.info_items', '信息篇数', '篇', '学习', ['learning.info_items'], '', 'sum', 'sum', False, 110, '', {}),
    ('learning.note_chars', '学习笔记字数', '字数', '学习', ['learning.note_chars'], '', 'sum', 'sum', False, 120, '', {}),
    ('learning.reflections', '心得体会篇数', '篇', '学习', ['learning.reflections'], '', 'sum', 'sum', False, 130, '', {}),
    ('learning.research_reports', '调研报告篇数', '篇', '学习', ['learning.research_reports'], '', 'sum', 'sum', False, 140, '', {}),
    ('learning.study_hours', '学习时长', '学时', '学习', ['learning.study_hours'], '', 'sum', 'sum', False, 150, '', {}),
    ('partylife.absent', '缺席且未补学的党内会议', '次', '组织生活', ['partylife.absent'], '', 'sum', 'sum', False, 160, '', {}),
    ('partylife.attended', '参加（含补学）党内会议', '次', '组织生活', ['partylife.attended'], '', 'sum', 'sum', False, 170, '', {}),
    ('partylife.criticisms', '开展批评（批评意见）', '条', '组织生活', ['partylife.criticisms'], '', 'sum', 'sum', True, 180, 'partylife:meetings', {}),
    ('partylife.criticisms_received', '收到批评意见', '条', '组织生活', ['partylife.criticisms_received'], '', 'sum', 'sum', False, 190, 'partylife:meetings', {}),
    ('partylife.meetings', '主持党内会议', '次', '组织生活', ['partylife.meetings'], '', 'sum', 'sum', False, 200, '', {}),
    ('partylife.meetings_appraisal', '主持党内会议: 民主评议党员', '次', '组织生活', ['partylife.meetings_appraisal'], '', 'sum', 'sum', False, 210, '', {}),
    ('partylife.meetings_assembly', '主持党内会议: 支部党员大会', '次', '组织生活', ['partylife.meetings_assembly'], '', 'sum', 'sum', False, 220, '', {}),
    ('partylife.meetings_committee', '主持党内会议: 支委会', '次', '组织生活', ['partylife.meetings_committee'], '', 'sum', 'sum', False, 230, '', {}),
    ('partylife.meetings_dem_life', '主持党内会议: 民主生活会', '次', '组织生活', ['partylife.meetings_dem_life'], '', 'sum', 'sum', False, 240, '', {}),
    ('partylife.meetings_group', '主持党内会议: 党小组会', '次', '组织生活', ['partylife.meetings_group'], '', 'sum', 'sum', False, 250, '', {}),
    ('partylife.meetings_lecture', '主持党内会议: 党课', '次', '组织生活', ['partylife.meetings_lecture'], '', 'sum', 'sum', False, 260, '', {}),
    ('partylife.meetings_org_life', '主持党内会议: 组织生活会', '次', '组织生活', ['partylife.meetings_org_life'], '', 'sum', 'sum', False, 270, '', {}),
    ('partylife.meetings_red_visit', '主持党内会议: 红色教育基地参观学习', '次', '组织生活', ['partylife.meetings_red_visit'], '', 'sum', 'sum', False, 280, '', {}),
    ('partylife.meetings_theme_day', '主持党内会议: 主题党日', '次', '组织生活', ['partylife.meetings_theme_day'], '', 'sum', 'sum', False, 290, '', {}),
    ('talks.held', '开展谈心谈话', '次', '谈心谈话', ['talks.held'], '', 'sum', 'sum', True, 300, '', {}),
    ('talks.held_award', '开展谈话: 必谈：受到表彰', '次', '谈心谈话', ['talks.held_award'], '', 'sum', 'sum', False, 310, '', {}),
    ('talks.held_collective', '开展谈话: 集体廉政谈话', '次', '谈心谈话', ['talks.held_collective'], '', 'sum', 'sum', False, 320, '', {}),
    ('talks.held_discipline', '开展谈话: 必谈：受到处分后', '次', '谈心谈话', ['talks.held_discipline'], '', 'sum', 'sum', False, 330, '', {}),
    ('talks.held_early_signs', '开展谈话: 必谈：出现苗头性问题', '次', '谈心谈话', ['talks.held_early_signs'], '', 'sum', 'sum', False, 340, '', {}),
    ('talks.held_evaluation', '开展谈话: 必谈：考核评议结果后', '次', '谈心谈话', ['talks.held_evaluation'], '', 'sum', 'sum', False, 350, '', {}),
    ('talks.held_heart', '开展谈话: 谈心谈话', '次', '谈心谈话', ['talks.held_heart'], '', 'sum', 'sum', False, 360, '', {}),
    ('talks.held_integrity', '开展谈话: 廉政谈话', '次', '谈心谈话', ['talks.held_integrity'], '', 'sum', 'sum', False, 370, '', {}),
    ('talks.held_job_change', '开展谈话: 必谈：工作岗位变动', '次', '谈心谈话', ['talks.held_job_change'], '', 'sum', 'sum', False, 380, '', {}),
    ('talks.held_misfortune', '开展谈话: 必谈：家庭遭遇变故', '次', '谈心谈话', ['talks.held_misfortune'], '', 'sum', 'sum', False, 390, '', {}),
    ('talks.held_pre_appointment', '开展谈话: 任前谈话', '次', '谈心谈话', ['talks.held_pre_appointment'], '', 'sum', 'sum', False, 400, '', {}),
    ('talks.held_reminder', '开展谈话: 提醒谈话', '次', '谈心谈话', ['talks.held_reminder'], '', 'sum', 'sum', False, 410, '', {}),
    ('talks.problems_raised', '走访中反映的问题', '个问题', '谈心谈话', ['talks.problems_raised'], '', 'sum', 'sum', False, 420, '', {}),
    ('talks.problems_solved', '走访中反映并已解决的问题', '个问题', '谈心谈话', ['talks.problems_solved'], '', 'sum', 'sum', False, 430, '', {}),
    ('talks.taken_part', '参加谈话', '次', '谈心谈话', ['talks.taken_part'], '', 'sum', 'sum', False, 440, '', {}),
    ('talks.visits', '走访', '次', '谈心谈话', ['talks.visits'], '', 'sum', 'sum', False, 450, '', {}),
    ('talks.visits_annual', '走访: 年内走访', '次', '谈心谈话', ['talks.visits_annual'], '', 'sum', 'sum', False, 460, '', {}),
    ('talks.visits_home', '走访: 适时家访', '次', '谈心谈话', ['talks.visits_home'], '', 'sum', 'sum', False, 470, '', {}),
    ('talks.visits_prompt', '走访: 及时探访', '次', '谈心谈话', ['talks.visits_prompt'], '', 'sum', 'sum', False, 480, '', {}),
    ('talks.visits_return', '走访: 定期回访', '次', '谈心谈话', ['talks.visits_return'], '', 'sum', 'sum', False, 490, '', {}),
    ('talks.visits_tour', '走访: 届内遍访', '次', '谈心谈话', ['talks.visits_tour'], '', 'sum', 'sum', False, 500, '', {}),
    ('talks.visits_walk_in', '走访: 随时接访', '次', '谈心谈话', ['talks.visits_walk_in'], '', 'sum', 'sum', False, 510, '', {}),
    ('ability.competition_awards', '业务比武获奖次数', '项', '能力', ['ability.competition_awards'], '', 'sum', 'sum', False, 520, '', {}),
    ('ability.competitions', '参加业务比武次数', '次', '能力', ['ability.competitions'], '', 'sum', 'sum', False, 530, '', {}),
    ('ability.lecturers', '上讲台讲业务干部', '人', '能力', ['ability.lectures_given'], '', 'people', 'sum', True, 540, '', {}),
    ('ability.lectures_attended', '培训人次（组工讲堂听讲）', '人次', '能力', ['ability.lectures_attended'], '', 'sum', 'sum', True, 550, '', {}),
    ('ability.lectures_discussed', '研讨交流次数', '人次', '能力', ['ability.lectures_discussed'], '', 'sum', 'sum', False, 560, '', {}),
    ('ability.lectures_given', '上讲台讲业务（主讲人次）', '人次', '能力', ['ability.lectures_given'], '', 'sum', 'sum', True, 570, '', {}),
    ('ability.mentoring_checkins', '青蓝结对谈心交流次数', '次', '能力', ['ability.mentoring_checkins'], '', 'sum', 'sum', False, 580, '', {}),
    ('ability.mentoring_pairs', '青蓝结对（导师结对数）', '对', '能力', ['ability.mentoring_pairs'], '', 'sum', 'sum', True, 590, '', {}),
    ('ability.org_cadres_trained', '培训组工干部人次', '人次', '能力', ['ability.lectures_attended'], 'org_cadre', 'sum', 'sum', False, 600, '', {}),
    ('ability.topics_adopted', '调研报告被领导采纳数', '个', '能力', ['ability.topics_adopted'], '', 'sum', 'sum', False, 610, '', {}),
    ('ability.topics_completed', '完成调研课题数', '个', '能力', ['ability.topics_completed'], '', 'sum', 'sum', False, 620, '', {}),
    ('ability.training_hours', '培训学时', '学时', '能力', ['ability.training_hours'], '', 'sum', 'sum', False, 630, '', {}),
    ('ability.training_summaries', '提交培训小结篇数', '篇', '能力', ['ability.training_summaries'], '', 'sum', 'sum', False, 640, '', {}),
    ('ability.trainings', '参加培训和跟班挂职次数', '人次', '能力', ['ability.trainings'], '', 'sum', 'sum', False, 650, '', {}),
    ('service.deeds_done', '我为群众办实事（已办结）', '件', '为民服务', ['service.deeds_done'], '', 'sum', 'sum', False, 660, '', {}),
    ('service.deliveries', '五送事项', '件', '为民服务', ['service.deliveries'], '', 'sum', 'sum', False, 670, '', {}),
    ('service.deliveries_care', '五送事项: 送关爱', '件', '为民服务', ['service.deliveries_care'], '', 'sum', 'sum', False, 680, '', {}),
    ('service.deliveries_medical', '五送事项: 送医保', '件', '为民服务', ['service.deliveries_medical'], '', 'sum', 'sum', False, 690, '', {}),
    ('service.deliveries_policy', '五送事项: 送政策', '件', '为民服务', ['service.deliveries_policy'], '', 'sum', 'sum', False, 700, '', {}),
    ('service.deliveries_skill', '五送事项: 送技能', '件', '为民服务', ['service.deliveries_skill'], '', 'sum', 'sum', False, 710, '', {}),
    ('service.deliveries_spirit', '五送事项: 送精神', '件', '为民服务', ['service.deliveries_spirit'], '', 'sum', 'sum', False, 720, '', {}),
    ('service.expert_orders_delivered', '专家“点单式”服务完成', '单', '为民服务', ['service.expert_orders_delivered'], '', 'sum', 'sum', False, 730, '', {}),
    ('service.households_contacted', '联系结对户', '户', '为民服务', ['service.households_contacted'], '', 'sum', 'sum', False, 740, '', {}),
    ('service.liaisons', '六联六促联系对象', '个', '为民服务', ['service.liaisons'], '', 'sum', 'sum', False, 750, '', {}),
    ('service.problems_raised', '受理群众问题', '个问题', '为民服务', ['service.problems_raised'], '', 'sum', 'sum', False, 760, '', {}),
    ('service.problems_solved', '为群众解决急难愁盼问题', '个问题', '为民服务', ['service.problems_solved'], '', 'sum', 'sum', True, 770, '', {}),
    ('service.problems_solved_all', '为群众解决问题（含走访中反映）', '个', '为民服务', ['service.problems_solved', 'talks.problems_solved'], '', 'sum', 'sum', False, 780, '', {}),
    ('service.visits', '走访（三入三解）', '次', '为民服务', ['service.visits'], '', 'sum', 'sum', False, 790, '', {}),
    ('service.visits_enterprise', '走访（三入三解）: 入企', '次', '为民服务', ['service.visits_enterprise'], '', 'sum', 'sum', False, 800, '', {}),
    ('service.visits_household', '走访（三入三解）: 入户', '次', '为民服务', ['service.visits_household'], '', 'sum', 'sum', False, 810, '', {}),
    ('service.visits_village', '走访（三入三解）: 入村', '次', '为民服务', ['service.visits_village'], '', 'sum', 'sum', False, 820, '', {}),
    ('projects.awarded', '获得工作创新奖', '个项目', '创新', ['projects.awarded'], '', 'sum', 'sum', False, 830, '', {}),
    ('projects.declared', '申报创新项目', '个项目', '创新', ['projects.declared'], '', 'sum', 'sum', False, 840, '', {}),
    ('projects.followups', '创新项目跟踪了解', '次', '创新', ['projects.followups'], '', 'sum', 'sum', False, 850, '', {}),
    ('projects.ideas_adopted', '点子与信息被采纳', '条', '创新', ['projects.ideas_adopted'], '', 'sum', 'sum', False, 860, '', {}),
    ('projects.ideas_submitted', '报送好点子、好主意、好信息', '条', '创新', ['projects.ideas_submitted'], '', 'sum', 'sum', False, 870, '', {}),
    ('projects.onsite_guidance', '创新项目实地指导', '次', '创新', ['projects.onsite_guidance'], '', 'sum', 'sum', False, 880, '', {}),
    ('tasks.done', '完成任务数', '项', '任务', ['tasks.done'], '', 'sum', 'sum', False, 890, '', {}),
    ('assessment.annual_excellent', '年度考核优秀次数', '次', '考核', ['assessment.annual_excellent'], '', 'sum', 'sum', False, 900, '', {}),
    ('assessment.regular_good', '平时考核“好”次数', '次', '考核', ['assessment.regular_good'], '', 'sum', 'sum', False, 910, '', {}),
    ('rectification.measures', '制定整改措施', '条', '问题整改', ['rectification.measures'], '', 'sum', 'sum', True, 920, '', {}),
    ('rectification.measures_closed', '整改措施销号', '条', '问题整改', ['rectification.measures_closed'], '', 'sum', 'sum', False, 930, '', {}),
    ('rectification.measures_closed_on_time', '整改措施按期销号', '条', '问题整改', ['rectification.measures_closed_on_time'], '', 'sum', 'sum', False, 940, '', {}),
    ('rectification.problems', '查摆问题', '个问题', '问题整改', ['rectification.problems'], '', 'sum', 'sum', True, 950, '', {}),
    ('rectification.problems_self_found', '自我查摆问题', '个问题', '问题整改', ['rectification.problems_self_found'], '', 'sum', 'sum', False, 960, '', {}),
    ('supervision.commitments_signed', '签订廉洁自律承诺数', '份', '监督', ['supervision.commitments_signed'], '', 'sum', 'sum', False, 970, '', {}),
    ('supervision.family_ratings_model', '评为清廉家庭示范户数', '户', '监督', ['supervision.family_ratings_model'], '', 'sum', 'sum', False, 980, '', {}),
    ('supervision.measures', '监督措施', '条', '监督', ['supervision.measures'], '', 'sum', 'sum', False, 990, '', {}),
    ('supervision.measures_admonishment', '监督措施: 诫勉', '条', '监督', ['supervision.measures_admonishment'], '', 'sum', 'sum', False, 1000, '', {}),
    ('supervision.measures_inquiry', '监督措施: 函询', '条', '监督', ['supervision.measures_inquiry'], '', 'sum', 'sum', False, 1010, '', {}),
    ('supervision.measures_reminder', '监督措施: 提醒谈话', '条', '监督', ['supervision.measures_reminder'], '', 'sum', 'sum', False, 1020, '', {}),
    ('supervision.observations', '登记日常了解情况数', '条', '监督', ['supervision.observations'], '', 'sum', 'sum', False, 1030, '', {}),
    ('supervision.package_items_done', '廉政“六个一”完成项数', '项', '监督', ['supervision.package_items_done'], '', 'sum', 'sum', False, 1040, '', {}),
    ('supervision.reports_annual_on_time', '按期（1月31日前）报送的年度个人有关事项报告', '份', '监督', ['supervision.reports_annual_on_time'], '', 'sum', 'sum', False, 1050, '', {}),
    ('supervision.reports_filed', '个人有关事项报告', '份', '监督', ['supervision.reports_filed'], '', 'sum', 'sum', False, 1060, '', {}),
    ('supervision.selfchecks_closed', '风险隐患排查问题销号数', '个', '监督', ['supervision.selfchecks_closed'], '', 'sum', 'sum', False, 1070, '', {}),
    ('supervision.selfchecks_found', '风险隐患排查发现问题数', '个', '监督', ['supervision.selfchecks_found'], '', 'sum', 'sum', False, 1080, '', {}),
    ('supervision.study_participations', '参加纪律学习次数', '人次', '监督', ['supervision.study_participations'], '', 'sum', 'sum', False, 1090, '', {}),
    ('care.activities_organized', '组织关怀活动', '次', '关怀', ['care.activities_organized'], '', 'sum', 'sum', True, 1100, '', {}),
    ('care.birthdays_marked', '过政治生日', '人', '关怀', ['care.birthdays_marked'], '', 'sum', 'sum', True, 1110, '', {}),
    ('care.leave_days', '已休年休假', '天数', '关怀', ['care.leave_days'], '', 'sum', 'sum', False, 1120, '', {}),
    ('care.participants', '参加关怀活动干部', '人', '关怀', ['care.participations'], '', 'people', 'sum', False, 1130, '', {}),
    ('care.participations', '参加关怀活动（人次）', '人次', '关怀', ['care.participations'], '', 'sum', 'sum', True, 1140, '', {}),
    ('talent.contacts', '联系人才', '人', '人才', ['talent.contacts'], '', 'sum', 'sum', False, 1150, '', {}),
    ('talent.exits', '退出组工队伍', '人', '人才', ['talent.exits'], '', 'sum', 'sum', False, 1160, '', {}),
    ('talent.matters_raised', '人才反映事项', '件', '人才', ['talent.matters_raised'], '', 'sum', 'sum', False, 1170, '', {}),
    ('talent.matters_solved', '为人才解决事项', '件', '人才', ['talent.matters_solved'], '', 'sum', 'sum', False, 1180, '', {}),
    ('talent.reserve_accepted', '后备人选选入组工队伍', '人', '人才', ['talent.reserve_accepted'], '', 'sum', 'sum', False, 1190, '', {}),
    ('talent.reserve_entered', '进入后备人才库', '人', '人才', ['talent.reserve_entered'], '', 'sum', 'sum', False, 1200, '', {}),
    ('talent.rotations', '轮岗交流', '人次', '人才', ['talent.rotations'], '', 'sum', 'sum', False, 1210, '', {}),
]

TITLE = "{unit}{year}年度工作报告"
BODY = """{unit}始终以“讲政治、重公道、业务精、作风好”为根本遵循，通过“抓学习、抓实干、抓管理”三措并举，同步实现“优作风、优服务、优关怀”，着力锻造一支政治过硬、本领高强、作风优良的高素质组工干部队伍。
# 抓学习，优作风，强化理想信念
以思想淬炼铸魂。坚持把政治理论学习作为组工干部的“必修课”，严格落实“第一议题”制度，建立组工干部“五个一”学习机制。{year}年，组工干部累计学习{learning.study_hours}学时，读书{learning.books}本，撰写心得体会{learning.reflections}篇、调研报告{learning.research_reports}篇，在各级媒体上稿{learning.articles}篇，其中国家级媒体{learning.articles_national}篇、省级媒体{learning.articles_provincial}篇、州（地）级媒体{learning.articles_prefectural}篇。
以政治历练固本。高质量落实“三会一课”、民主生活会等党内政治生活制度，全年主持召开党内会议{partylife.meetings}次，参加党内会议（含补学）{partylife.attended}人次；严格执行谈心谈话制度，开展谈心谈话{talks.held}次。
以作风锤炼塑形。常态化推进廉政“六个一”清廉套餐，完成{supervision.package_items_done}项；签订廉洁自律承诺{supervision.commitments_signed}份。
# 抓实干，优服务，锤炼过硬本领
以一线实践练兵。常态化开办“组工讲堂”，{ability.lecturers}名干部上讲台讲业务（主讲{ability.lectures_given}人次），培训{ability.lectures_attended}人次；开展青蓝结对{ability.mentoring_pairs}对。
以精准服务提质。扎实开展“我为群众办实事”“三入三解”等为民服务实践活动，深入一线走访{service.visits}次，解决群众急难愁盼问题{service.problems_solved}件，办结实事{service.deeds_done}件。
以创新机制赋能。推行组织部长“六访”制度，走访干部{talks.visits}次；申报创新项目{projects.declared}个，报送好点子、好主意、好信息{projects.ideas_submitted}条。
# 抓管理，优关怀，提升团队效能
以考核评价促优。统筹平时考核、专项考核、年度考核结果，全年完成任务{tasks.done}项。
以日常监督提质。查摆问题{rectification.problems}个，开展批评{partylife.criticisms}条，制定整改措施{rectification.measures}条，按期销号{rectification.measures_closed_on_time}条。
以暖心关怀聚力。组织关怀活动{care.activities_organized}次，{care.participants}名干部参加（{care.participations}人次），为{care.birthdays_marked}名党员过政治生日。
"""


def preload(apps, schema_editor):
    Figure = apps.get_model("reports", "Figure")
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    Figure.objects.bulk_create([
        Figure(key=key, label=label, unit=unit, group=group, metric_keys=keys,
               audience=audience, aggregation=aggregation, rollup=rollup, headline=headline,
               position=position, records_view=view, records_params=params)
        for (key, label, unit, group, keys, audience, aggregation, rollup, headline, position,
             view, params) in FIGURES])
    ReportTemplate.objects.create(department=None, title=TITLE, body=BODY)


def remove(apps, schema_editor):
    apps.get_model("reports", "Figure").objects.all().delete()
    apps.get_model("reports", "ReportTemplate").objects.filter(department=None).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(preload, remove)]
