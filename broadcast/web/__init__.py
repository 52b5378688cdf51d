"""The office web app: server-rendered Vietnamese pages for province, district and commune offices."""
