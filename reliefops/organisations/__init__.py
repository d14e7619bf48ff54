"""Organisations: ministries, Red Cross/Red Crescent, UN agencies, NGOs, local services."""
