#   Heihe City (Heilongjiang) employment statistics, 2003 -- the jobtally demo.
#
#   Reproduces the end-of-October 2003 work report of the Heihe City labour
#   and social security bureau. Its data is config/heihe-2003/<source>.csv;
#   tools/heihe_data.py generates and verifies it (see config/README.md).
#   The city and City-level targets are the report's; the county targets are
#   illustrative and sum to the city's.

catalogue
    year = 2003
    #   Months 2002-01 to 2003-12 are accepted: the default for year 2003
    #   (last year's restatements arrive in this one). Write e.g.
    #   "years = 2003" to accept this year's months alone.
    on_time_days = 10
    title = "Heihe City employment statistics"

regions
    heihe = "Heihe City"
        heihe.direct = "City level"
        heihe.aihui = "Aihui District"
        heihe.beian = "Bei'an City"
        heihe.wudalianchi = "Wudalianchi City"
        heihe.nenjiang = "Nenjiang County"
        heihe.xunke = "Xunke County"
        heihe.sunwu = "Sunwu County"

indicators
    #   Employment and re-employment
    employed_new
        name = "Newly employed persons"
        unit = persons
        time = flow
        phrase = "people found employment"
    reemployed
        name = "Laid-off and unemployed persons re-employed"
        unit = persons
        time = flow
        phrase = "laid-off and unemployed people were re-employed"

    #   Re-employment channels: together they make up `reemployed`
    reemployed_private
        name = "Re-employed in the private economy"
        unit = persons
        time = flow
    reemployed_tertiary
        name = "Re-employed in tertiary industry"
        unit = persons
        time = flow
    reemployed_public_welfare
        name = "Re-employed in public-welfare jobs"
        unit = persons
        time = flow
    reemployed_labour_export
        name = "Re-employed through labour export"
        unit = persons
        time = flow
    reemployed_diversion
        name = "Re-employed through enterprise diversion"
        unit = persons
        time = flow
    reemployed_flexible
        name = "Re-employed in flexible employment"
        unit = persons
        time = flow
    reemployed_farming
        name = "Re-employed in planting and breeding"
        unit = persons
        time = flow
    reemployed_new_enterprise
        name = "Re-employed in new enterprises"
        unit = persons
        time = flow

    laid_off_registered
        name = "Laid-off and unemployed persons registered for re-employment"
        unit = persons
        time = cumulative
    new_jobs
        name = "New jobs created"
        unit = jobs
        time = flow
        phrase = "new jobs were created"

    #   Urban labour market at month end
    registered_unemployed
        name = "Registered urban unemployed"
        unit = persons
        time = stock
    urban_employed
        name = "Urban employed persons"
        unit = persons
        time = stock

    #   Re-employment concession certificates
    certificates_issued
        name = "Re-employment concession certificates issued"
        unit = certificates
        time = cumulative
    certificates_due
        name = "Re-employment concession certificates due"
        unit = certificates
        time = stock

    #   Re-employment training
    training_courses
        name = "Re-employment training courses"
        unit = courses
        time = flow
    trained
        name = "Persons trained"
        unit = persons
        time = flow
    reemployed_after_training
        name = "Re-employed after training"
        unit = persons
        time = flow

    #   Assistance to zero-employment households
    households_assisted
        name = "Zero-employment households assisted"
        unit = households
        time = stock
    households_resettled
        name = "Assisted households resettled"
        unit = households
        time = cumulative

measures
    reemployment_rate
        name = "Re-employment rate"
        numerator = reemployed
        denominator = laid_off_registered
        scale = 100
        unit = "%"
        decimals = 1
        phrase = "re-employment rate"
    urban_labour_force
        name = "Urban labour force"
        sum = "urban_employed registered_unemployed"
        unit = persons
        decimals = 0
    unemployment_rate
        name = "Registered urban unemployment rate"
        numerator = registered_unemployed
        denominator = urban_labour_force
        scale = 100
        unit = "%"
        decimals = 2
        phrase = "registered urban unemployment rate"
    reemployed_by_channel
        name = "Re-employed, sum of the channels"
        sum = "reemployed_private reemployed_tertiary reemployed_public_welfare reemployed_labour_export reemployed_diversion reemployed_flexible reemployed_farming reemployed_new_enterprise"
        unit = persons
        decimals = 0
    certificate_rate
        name = "Concession certificates issued, share of due"
        numerator = certificates_issued
        denominator = certificates_due
        scale = 100
        unit = "%"
        decimals = 1
    training_reemployment_rate
        name = "Re-employment rate after training"
        numerator = reemployed_after_training
        denominator = trained
        scale = 100
        unit = "%"
        decimals = 1
    resettlement_rate
        name = "Assisted households resettled, share"
        numerator = households_resettled
        denominator = households_assisted
        scale = 100
        unit = "%"
        decimals = 1

#   Annual tasks for 2003. heihe: the provincial task (employed_new,
#   reemployed) and the net-increase task for new jobs; heihe.direct: the
#   report's City-level tasks. The other counties' tasks are illustrative.
targets
    heihe
        employed_new = 4403
        reemployed = 12113
        new_jobs = 16500
    heihe.direct
        employed_new = 1400
        reemployed = 2278
        new_jobs = 1000
    heihe.aihui
        employed_new = 560
        reemployed = 2150
        new_jobs = 3300
    heihe.beian
        employed_new = 820
        reemployed = 2700
        new_jobs = 4400
    heihe.wudalianchi
        employed_new = 480
        reemployed = 1650
        new_jobs = 2600
    heihe.nenjiang
        employed_new = 600
        reemployed = 1835
        new_jobs = 3200
    heihe.xunke
        employed_new = 250
        reemployed = 700
        new_jobs = 700
    heihe.sunwu
        employed_new = 293
        reemployed = 800
        new_jobs = 1300

#   Control lines of the registered urban unemployment rate, in percent.
limits
    heihe
        unemployment_rate = 2.99
    heihe.direct
        unemployment_rate = 2.5
    heihe.aihui
        unemployment_rate = 3.5
    heihe.beian
        unemployment_rate = 3.5
    heihe.wudalianchi
        unemployment_rate = 3.5
    heihe.nenjiang
        unemployment_rate = 3.5
    heihe.xunke
        unemployment_rate = 3.5
    heihe.sunwu
        unemployment_rate = 3.5

#   Alerts the reporter raises (docs/configuration.md, "rules"). On the
#   demo data only new jobs behind pace fire: the report's own worry (67.9%
#   of the task with 83.3% of the year gone), at the city and at the five
#   counties below pace; everything the report says was met stays quiet.
rules
    unemployment_over_line
        kind = threshold
        figure = unemployment_rate
        above = 2.99
        regions = "heihe"
        severity = critical
    unemployment_over_line_city_level
        kind = threshold
        figure = unemployment_rate
        above = 2.5
        regions = "heihe.direct"
        severity = critical
    employment_behind_pace
        kind = threshold
        figure = employed_new.pace
        below = 90
        regions = "heihe heihe.*"
    reemployment_behind_pace
        kind = threshold
        figure = reemployed.pace
        below = 90
        regions = "heihe heihe.*"
    new_jobs_behind_pace
        kind = threshold
        figure = new_jobs.pace
        below = 90
        regions = "heihe heihe.*"
    county_silent
        kind = silence
        regions = "heihe.*"
    employment_restated_down
        kind = restatement
        figure = employed_new
        drop_pct = 20
        regions = "heihe.*"
        severity = info
    channels_add_up
        kind = consistency
        left = reemployed
        right = reemployed_by_channel
        relation = equal
        regions = "heihe heihe.*"
        severity = critical
    certificates_within_due
        kind = consistency
        left = certificates_issued
        right = certificates_due
        relation = at_most
        regions = "heihe heihe.*"

#   One collector per county bureau (and one for the City level).
sources
    direct
        regions = "heihe.direct"
    aihui
        regions = "heihe.aihui"
    beian
        regions = "heihe.beian"
    wudalianchi
        regions = "heihe.wudalianchi"
    nenjiang
        regions = "heihe.nenjiang"
    xunke
        regions = "heihe.xunke"
    sunwu
        regions = "heihe.sunwu"

names
    zh
        heihe = "黑河市"
        heihe.direct = "市本级"
        heihe.aihui = "爱辉区"
        heihe.beian = "北安市"
        heihe.wudalianchi = "五大连池市"
        heihe.nenjiang = "嫩江县"
        heihe.xunke = "逊克县"
        heihe.sunwu = "孙吴县"
        employed_new = "新增就业人数"
        reemployed = "下岗失业人员再就业人数"
        reemployed_private = "个体私营经济安置人数"
        reemployed_tertiary = "第三产业安置人数"
        reemployed_public_welfare = "公益性岗位安置人数"
        reemployed_labour_export = "劳务输出安置人数"
        reemployed_diversion = "企业分流安置人数"
        reemployed_flexible = "灵活就业人数"
        reemployed_farming = "种植养殖业安置人数"
        reemployed_new_enterprise = "新办企业安置人数"
        laid_off_registered = "登记下岗失业人员数"
        new_jobs = "新增就业岗位"
        registered_unemployed = "城镇登记失业人数"
        urban_employed = "城镇从业人员数"
        certificates_issued = "已发放再就业优惠证"
        certificates_due = "应发放再就业优惠证"
        training_courses = "再就业培训班期数"
        trained = "再就业培训人数"
        reemployed_after_training = "培训后再就业人数"
        households_assisted = "援助零就业家庭户数"
        households_resettled = "援助家庭已安置户数"
        reemployment_rate = "再就业率"
        urban_labour_force = "城镇劳动力人数"
        unemployment_rate = "城镇登记失业率"
        reemployed_by_channel = "各渠道再就业人数合计"
        certificate_rate = "再就业优惠证发放率"
        training_reemployment_rate = "培训后再就业率"
        resettlement_rate = "援助家庭安置率"

summary
    headline = "employed_new reemployed reemployment_rate new_jobs unemployment_rate"
    columns = "employed_new reemployed new_jobs reemployment_rate unemployment_rate"
